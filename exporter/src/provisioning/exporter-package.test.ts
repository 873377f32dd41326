import { execFileSync } from 'node:child_process';
import { statSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, resolve } from 'node:path';

/**
 * The exporter alone, without the plugins' toolchain: `npm run pack:exporter` makes a package of
 * the built exporter and its `saasmon` command (plus the contract's, which it depends on) whose
 * runtime needs only the exporter's own dependencies (measured from the two tarballs in an empty
 * folder, --omit=dev: 88 MB, 29 MB without the embedded Postgres; the whole workspace's node_modules 956 MB).
 * Needs the build (npm test builds first).
 */
const EXPORTER = resolve(__dirname, '../..');
const manifest = JSON.parse(readFileSync(join(EXPORTER, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
  bin: Record<string, string>;
};

describe('the exporter package', () => {
  let files: string[];

  beforeAll(() => {
    const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: EXPORTER, encoding: 'utf8' });
    files = (JSON.parse(out) as Array<{ files: Array<{ path: string }> }>)[0]!.files.map((f) => f.path);
  });

  it('holds the built exporter and the saasmon command, not tests, fixtures or benchmarks', () => {
    expect(files).toEqual(expect.arrayContaining(['package.json', 'bin/saasmon.js', 'dist/cli.js', 'dist/service.js']));
    expect(files.filter((f) => /\.test\.|^dist\/(testing|bench)\/|^src\/|tsbuildinfo/.test(f))).toEqual([]);
    expect(manifest.bin.saasmon).toBe('bin/saasmon.js');
    expect(statSync(join(EXPORTER, 'bin/saasmon.js')).mode & 0o111).not.toBe(0);
  });

  it('needs at run time only its own dependencies', () => {
    const allowed = new Set([...builtinModules, ...Object.keys(manifest.dependencies)]);
    const missing = new Set<string>();
    const seen = new Set<string>();
    for (const file of files.filter((f) => f.endsWith('.js'))) {
      const text = readFileSync(join(EXPORTER, file), 'utf8');
      for (const m of text.matchAll(/require\("([^".][^"]*)"\)|require\('([^'.][^']*)'\)/g)) {
        const spec = (m[1] ?? m[2]) as string;
        const name = spec.startsWith('node:')
          ? spec.slice(5)
          : spec.startsWith('@')
            ? spec.split('/').slice(0, 2).join('/')
            : (spec.split('/')[0] as string);
        seen.add(name);
        if (!allowed.has(name) && !allowed.has(spec.replace(/^node:/, ''))) missing.add(`${file}: ${spec}`);
      }
    }
    expect([...missing]).toEqual([]);
    expect([...seen]).toEqual(expect.arrayContaining(['pg', 'express', 'zod', 'prom-client']));
  });
});
