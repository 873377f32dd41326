/*
 * One build for the package: each panel folder under src/ becomes dist/<plugin id>/ (Grafana loads
 * each folder as a plugin), plus the browser-test harness page in harness/dist/.
 */
import type { Configuration } from 'webpack';
import pluginsConfig, { type Env } from './.config/webpack/webpack.config.ts';
import harnessConfig from './harness/webpack.config.ts';

const config = async (env: Env): Promise<Configuration[]> => [...(await pluginsConfig(env)), harnessConfig(env)];

export default config;
