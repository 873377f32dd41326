import packageJson from '../../package.json';
import { existsSync } from 'fs';
import { join } from 'path';

export interface PluginJson {
  id: string;
  type: string;
  name: string;
  info: {
    author: { name: string };
    keywords: string[];
    logos: { small: string; large: string };
    version: string;
    updated: string;
  };
  dependencies: { grafanaDependency: string };
}

/**
 * The rules of Grafana's plugin.json schema (docs/sources/developers/plugins/plugin.schema.json)
 * that its loader and the plugin validator enforce, for a panel in the given folder. Returns the
 * broken rules, so a test failure says which.
 */
export function pluginJsonProblems(json: PluginJson, dir: string): string[] {
  const problems: string[] = [];
  if (!/^[0-9a-z]+-([0-9a-z]+-)?(app|panel|datasource)$/.test(json.id)) {
    problems.push(`id ${json.id} does not match org-name-type`);
  }
  if (json.type !== 'panel') {
    problems.push(`type ${json.type} is not panel`);
  }
  if (!json.id.endsWith(`-${json.type}`)) {
    problems.push('id does not end with the type');
  }
  if (!json.name) {
    problems.push('no name');
  }
  for (const logo of [json.info?.logos?.small, json.info?.logos?.large]) {
    if (!logo || !existsSync(join(dir, logo))) {
      problems.push(`logo ${logo} missing`);
    }
  }
  if (!Array.isArray(json.info?.keywords) || json.info.keywords.length === 0) {
    problems.push('no keywords');
  }
  if (!json.info?.author?.name) {
    problems.push('no author');
  }
  if (!json.info?.version) {
    problems.push('no info.version');
  }
  const dependency = json.dependencies?.grafanaDependency ?? '';
  // The claim starts at the Grafana release whose packages the plugins are built with, no older
  // (an older one would need its packages' API checked, e.g. with @grafana/levitate).
  const [major, minor] = (packageJson.dependencies['@grafana/data'] as string).replace(/^[^\d]*/, '').split('.');
  if (dependency !== `>=${major}.${minor}.0`) {
    problems.push(`grafanaDependency ${dependency} is not >=${major}.${minor}.0 (the @grafana packages it is built with)`);
  }
  return problems;
}
