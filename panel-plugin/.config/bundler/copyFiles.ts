import fs from 'fs';
import path from 'path';
import type { PluginSource } from './utils.ts';

/** What goes next to module.js in dist/<id>/ (paths relative to the plugin's source folder). */
export function copyFilePatterns(plugin: PluginSource) {
  const logoPaths = Array.from(new Set([plugin.pluginJson.info?.logos?.large, plugin.pluginJson.info?.logos?.small])).filter(
    (p): p is string => Boolean(p)
  );
  const screenshotPaths = plugin.pluginJson.info?.screenshots?.map((s) => s.path) ?? [];
  const hasReadme = fs.existsSync(path.join(plugin.dir, 'README.md'));
  return [
    { from: hasReadme ? 'README.md' : '../../README.md', to: '.', force: true },
    { from: 'plugin.json', to: '.' },
    { from: '../../LICENSE', to: '.' },
    { from: '../../CHANGELOG.md', to: '.', force: true },
    ...logoPaths.map((p) => ({ from: p, to: p })),
    ...screenshotPaths.map((p) => ({ from: p, to: p })),
  ];
}
