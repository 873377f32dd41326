#!/usr/bin/env node
// The `saasmon` command. A committed file (not dist/cli.js itself) so that npm links the bin on
// the first `npm install`, before anything is built; in a checkout it builds the exporter once.
'use strict';
const { existsSync } = require('node:fs');
const { spawnSync } = require('node:child_process');
const { join } = require('node:path');

const exporterDir = join(__dirname, '..');
const cli = join(exporterDir, 'dist', 'cli.js');
if (!existsSync(cli)) {
  process.stderr.write('saasmon: building the exporter (first run)...\n');
  const tsc = spawnSync('npm', ['run', '-s', 'build'], { cwd: exporterDir, stdio: 'inherit' });
  if (tsc.status !== 0 || !existsSync(cli)) {
    process.stderr.write('saasmon: the build failed; run `npm install` at the repository root, then `npm run build -w exporter`\n');
    process.exit(2);
  }
}
require(cli);
