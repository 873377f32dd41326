import path from 'path';
import webpack, { type Configuration } from 'webpack';
import { swcRule, type Env } from '../.config/webpack/webpack.config.ts';

/**
 * The browser-test harness: React, @grafana/data and @grafana/ui bundled (Grafana provides them to
 * plugins), an AMD loader that hands them to the built dist/<id>/module.js files, and the fixtures.
 * Development mode without source maps: built in a few seconds, never shipped.
 */
export default function harnessConfig(_env: Env): Configuration {
  return {
    name: 'harness',
    mode: 'development',
    devtool: false,
    context: path.resolve(process.cwd(), 'harness'),
    entry: { harness: './index.tsx' },
    cache: { type: 'filesystem', name: 'harness' },
    output: { path: path.resolve(process.cwd(), 'harness', 'dist'), filename: '[name].js', clean: true },
    module: {
      rules: [
        // @grafana/ui's ESM imports some packages without file extensions.
        { test: /\.m?js$/, resolve: { fullySpecified: false } },
        swcRule(),
        { test: /\.css$/, use: ['style-loader', 'css-loader'] },
        { test: /\.(png|jpe?g|gif|svg|woff2?|ttf|eot)$/, type: 'asset/resource' },
      ],
    },
    plugins: [
      // The code editor, loaded on demand by components no panel here renders.
      new webpack.IgnorePlugin({ resourceRegExp: /^(monaco-editor|react-monaco-editor)$/ }),
      new webpack.optimize.LimitChunkCountPlugin({ maxChunks: 1 }),
    ],
    performance: { hints: false },
    resolve: {
      extensions: ['.js', '.jsx', '.ts', '.tsx'],
      // An optional peer of slate-react (the query field) that is not installed: an empty module.
      alias: { 'slate-react-placeholder': false },
    },
  };
}
