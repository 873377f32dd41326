import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

// The layers (docs/architecture.md "Layers"): db/ -> reads/ -> domain/ (pure) -> collectors/ and
// api/query/ -> server/. Imports only point down: the math never knows where its numbers come from,
// and a read never knows who asks for it.

const SRC = __dirname;

function sourceFiles(folder: string): string[] {
  return readdirSync(join(SRC, folder), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? sourceFiles(join(folder, e.name))
      : e.name.endsWith('.ts') && !e.name.endsWith('.test.ts')
        ? [join(folder, e.name)]
        : [],
  );
}

/** Every module a file imports (static, dynamic and re-exports), as written. */
function importsOf(file: string): string[] {
  const text = readFileSync(join(SRC, file), 'utf8');
  const found = [...text.matchAll(/(?:\bfrom\s+|\bimport\s*\(\s*|\bimport\s+|\brequire\s*\(\s*)['"]([^'"]+)['"]/g)];
  return found.map((m) => m[1] as string);
}

/** The folder of src/ an import lands in ('reads', 'api/query', ...), or the package name. */
function target(file: string, spec: string): string {
  if (!spec.startsWith('.')) return spec;
  return relative(SRC, join(SRC, file, '..', spec));
}

function violations(folder: string, forbidden: (t: string) => boolean): string[] {
  return sourceFiles(folder).flatMap((file) =>
    importsOf(file)
      .filter((spec) => forbidden(target(file, spec)))
      .map((spec) => `${file} imports ${spec}`),
  );
}

const under = (t: string, folder: string) => t === folder || t.startsWith(`${folder}/`);

describe('layers', () => {
  it('finds the imports it checks', () => {
    expect(sourceFiles('domain').length).toBeGreaterThan(5);
    expect(importsOf('reads/revenue.ts').map((s) => target('reads/revenue.ts', s))).toContain('domain/money');
  });

  it('domain/ is pure: no reads, no database', () => {
    expect(violations('domain', (t) => under(t, 'reads') || under(t, 'db') || t === 'pg' || t.startsWith('pg-'))).toEqual([]);
  });

  it('reads/ know no caller: no collectors, no API, no server', () => {
    expect(violations('reads', (t) => under(t, 'collectors') || under(t, 'api') || under(t, 'server') || under(t, 'compute'))).toEqual([]);
  });

  it('collectors/ do not build on the query API', () => {
    expect(violations('collectors', (t) => under(t, 'api') || under(t, 'server'))).toEqual([]);
  });

  it('summary/ (the morning figures and priority actions) serves both the query API and the reports, and imports neither', () => {
    expect(violations('summary', (t) => under(t, 'reports') || under(t, 'api') || under(t, 'server'))).toEqual([]);
  });

  it('the query API does not build on reports/ (reports are a client of the query types, not a source)', () => {
    expect(violations('api/query', (t) => under(t, 'reports'))).toEqual([]);
  });
});
