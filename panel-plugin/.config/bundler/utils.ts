/*
 * Adapted from the @grafana/create-plugin scaffold for a package that holds several panel plugins:
 * every src/<folder>/ with a plugin.json and a module.ts(x) is one plugin, built into dist/<plugin id>/.
 */
import fs from 'fs';
import process from 'process';
import path from 'path';
import { SOURCE_DIR } from './constants.ts';

export interface PluginJson {
  id: string;
  type: string;
  info?: { logos?: { small?: string; large?: string }; screenshots?: Array<{ path: string }> };
}

/** One plugin of the package: its source folder and its plugin.json. */
export interface PluginSource {
  dir: string;
  entry: string;
  pluginJson: PluginJson;
}

function loadJson(file: string) {
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

export function getPackageJson() {
  return loadJson(path.resolve(process.cwd(), 'package.json'));
}

export function getCPConfigVersion() {
  const cprcJson = path.resolve(process.cwd(), './.config', '.cprc.json');
  return fs.existsSync(cprcJson) ? loadJson(cprcJson).version : { version: 'unknown' };
}

/** The plugin folders under src/, in name order. */
export function getPluginSources(): PluginSource[] {
  const srcDir = path.resolve(process.cwd(), SOURCE_DIR);
  return fs
    .readdirSync(srcDir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && fs.existsSync(path.join(srcDir, d.name, 'plugin.json')))
    .map((d) => d.name)
    .sort()
    .flatMap((name) => {
      const dir = path.join(srcDir, name);
      const entry = ['module.tsx', 'module.ts'].map((f) => path.join(dir, f)).find((f) => fs.existsSync(f));
      return entry ? [{ dir, entry, pluginJson: loadJson(path.join(dir, 'plugin.json')) as PluginJson }] : [];
    });
}
