import { existsSync } from 'fs';
import { join } from 'path';
import pluginJson from './plugin.json';
import packageJson from '../package.json';
import { lastValueFrom } from 'rxjs';
import { grafanaProxyBackendSrv } from './testing/grafanaProxy';

// The rules of Grafana's plugin.json schema that a loader and the plugin validator enforce
// (docs/sources/developers/plugins/plugin.schema.json), checked here because the validator
// binary cannot be downloaded on this machine.
describe('plugin.json', () => {
  it('has a valid id: org-name-type, lower case', () => {
    expect(pluginJson.id).toMatch(/^[0-9a-z]+-([0-9a-z]+-)?(app|panel|datasource)$/);
    expect(pluginJson.id).toBe('saasmon-analytics-datasource');
    expect(pluginJson.type).toBe('datasource');
  });

  it('names logos that exist, keywords and a Grafana dependency', () => {
    for (const logo of [pluginJson.info.logos.small, pluginJson.info.logos.large]) {
      expect(existsSync(join(__dirname, logo))).toBe(true);
    }
    expect(pluginJson.info.keywords.length).toBeGreaterThan(0);
    expect(pluginJson.dependencies.grafanaDependency).toMatch(/^>=\d+\.\d+\.\d+$/);
    expect(pluginJson.info.author.name).toBeTruthy();
  });

  it('is a frontend data source whose routes open only the query and health paths, adding the token', () => {
    expect(pluginJson.backend).toBe(false);
    // Grafana matches a route by path prefix (and method when given): the ingest and admin APIs
    // of the exporter are not reachable through the data-source proxy.
    expect(pluginJson.routes.map((r) => `${r.method} ${r.path} -> ${r.url}`)).toEqual([
      'POST api/v1/query -> {{ .JsonData.url }}/api/v1/query',
      'GET api/v1/health -> {{ .JsonData.url }}/api/v1/health',
    ]);
    for (const route of pluginJson.routes) {
      expect(route.headers).toEqual([{ name: 'Authorization', content: 'Bearer {{ .SecureJsonData.apiToken }}' }]);
    }
  });

  it('does not let the proxy reach the ingest, integration, admin or metrics endpoints, nor the query path with another method', async () => {
    // The emulation of Grafana's route matching (testing/grafanaProxy.ts), towards an address that
    // refuses connections: a path that matches a route is forwarded (502 here), any other is a 404
    // of the proxy itself. The datasource's own calls go through the same emulation in the e2e test.
    const proxy = grafanaProxyBackendSrv('/proxy', { url: 'http://127.0.0.1:1' }, { apiToken: 't' });
    const status = (url: string, method: string) =>
      lastValueFrom(proxy.fetch({ url: `/proxy/${url}`, method, data: {} })).then(
        () => 200,
        (e: { status: number }) => e.status,
      );
    expect(await status('api/v1/query', 'POST')).toBe(502);
    expect(await status('api/v1/health', 'GET')).toBe(502);
    for (const [path, method] of [
      ['api/v1/ingest/events', 'POST'],
      ['api/v1/ingest/tenants', 'POST'],
      ['api/v1/integrations/segment/v1/batch', 'POST'],
      ['api/v1/status', 'GET'],
      ['api/v1/admin/tokens', 'POST'],
      ['metrics', 'GET'],
      ['api/v1/query', 'GET'],
      ['api/v1/health', 'POST'],
    ]) {
      expect([path, method, await status(path as string, method as string)]).toEqual([path, method, 404]);
    }
  });

  it('claims the Grafana versions whose packages it is built and tested with, no older', () => {
    // Built against @grafana/* of package.json: the claim starts at that major.minor (proving an
    // older one would need its packages' API checked, e.g. with @grafana/levitate).
    const built = (packageJson.dependencies['@grafana/data'] as string).replace(/^[^\d]*/, '');
    const [major, minor] = built.split('.');
    expect(pluginJson.dependencies.grafanaDependency).toBe(`>=${major}.${minor}.0`);
  });
});
