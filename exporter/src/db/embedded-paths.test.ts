import { projectRootOf } from './embedded';

describe('where the embedded demo keeps its data', () => {
  it('is the checkout for the exporter in a checkout', () => {
    expect(projectRootOf('/home/me/saasmon/exporter')).toBe('/home/me/saasmon');
  });

  it('is the folder the package was installed into, never inside node_modules (a reinstall would wipe it)', () => {
    expect(projectRootOf('/srv/saasmon/node_modules/@saasmon/exporter')).toBe('/srv/saasmon');
    expect(projectRootOf('/node_modules/@saasmon/exporter')).toBe('/');
  });
});
