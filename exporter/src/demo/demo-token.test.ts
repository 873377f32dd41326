import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { demoToken, demoTokenFile } from './demo-token';

describe('the demo API token', () => {
  let parent: string;
  beforeAll(() => (parent = mkdtempSync(join(tmpdir(), 'saasmon-token-'))));
  afterAll(() => rmSync(parent, { recursive: true, force: true }));

  it('is kept beside its data folder, named after it, and the same on every start', () => {
    const a = join(parent, 'postgres');
    expect(demoTokenFile(a)).toBe(join(parent, 'postgres.demo-api-token'));
    const first = demoToken(a);
    expect(first.created).toBe(true);
    expect(readFileSync(demoTokenFile(a), 'utf8').trim()).toBe(first.token);
    expect(statSync(demoTokenFile(a)).mode & 0o077).toBe(0);
    const again = demoToken(a);
    expect(again).toMatchObject({ token: first.token, created: false });
    expect(again.configEntry).toEqual(first.configEntry);
  });

  it('differs between two data folders in the same parent (SAASMON_DATA_DIR=/tmp/x and /tmp/y)', () => {
    const x = demoToken(join(parent, 'x'));
    const y = demoToken(join(parent, 'y'));
    expect(x.token).not.toBe(y.token);
    expect(demoTokenFile(join(parent, 'x'))).not.toBe(demoTokenFile(join(parent, 'y')));
  });
});
