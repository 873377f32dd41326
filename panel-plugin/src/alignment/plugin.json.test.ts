import { pluginJsonProblems } from '../testing/pluginJsonRules';
import pluginJson from './plugin.json';

describe('plugin.json', () => {
  it('follows the plugin.json schema rules Grafana enforces', () => {
    expect(pluginJsonProblems(pluginJson, __dirname)).toEqual([]);
  });

  it('is the panel saasmon-alignment-panel', () => {
    expect(pluginJson.id).toBe('saasmon-alignment-panel');
    expect(pluginJson.info.version).toBe('%VERSION%');
  });
});
