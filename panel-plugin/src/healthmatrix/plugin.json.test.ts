import { pluginJsonProblems } from '../testing/pluginJsonRules';
import pluginJson from './plugin.json';

describe('plugin.json', () => {
  it('follows the plugin.json schema rules Grafana enforces', () => {
    expect(pluginJsonProblems(pluginJson, __dirname)).toEqual([]);
  });

  it('is the panel saasmon-healthmatrix-panel', () => {
    expect(pluginJson.id).toBe('saasmon-healthmatrix-panel');
    expect(pluginJson.info.version).toBe('%VERSION%');
  });
});
