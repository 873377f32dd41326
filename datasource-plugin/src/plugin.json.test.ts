import { existsSync } from 'fs';
import { join } from 'path';
import pluginJson from './plugin.json';

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

  it('is a frontend data source whose route adds the token from secureJsonData', () => {
    expect(pluginJson.backend).toBe(false);
    const route = pluginJson.routes.find((r) => r.path === 'api');
    expect(route?.url).toBe('{{ .JsonData.url }}/api');
    expect(route?.headers).toEqual([{ name: 'Authorization', content: 'Bearer {{ .SecureJsonData.apiToken }}' }]);
  });
});
