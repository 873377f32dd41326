import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { QUERY_CONTRACTS } from '@saasmon/contract';
import { moduleNameOf, QUERY_TYPES, runnersIn } from '.';

// The exporter runs exactly the query types of the contract (@saasmon/contract), with the
// contract's own schema object: the datasource and the dashboard generator validate against the
// same one. Each type runs in the module named after it (index.ts); a query type still defining
// its schema in its module fails here until it moves.

it('implements every query type of the contract, with its schema, and nothing else', () => {
  const contracts = new Map(QUERY_CONTRACTS.map((c) => [c.type as string, c]));
  expect(QUERY_TYPES.map((q) => q.type).sort()).toEqual([...contracts.keys()].sort());
  expect(QUERY_TYPES.filter((q) => contracts.get(q.type)?.schema !== q.schema).map((q) => q.type)).toEqual([]);
});

it('has a contract for every runner a module of api/query exports, in the module named after its type', () => {
  const contracts = new Set(QUERY_CONTRACTS.map((c) => c.type as string));
  const problems: string[] = [];
  const modules = readdirSync(__dirname).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && !f.endsWith('.d.ts'));
  for (const file of modules) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    for (const runner of runnersIn(require(join(__dirname, file)) as Record<string, unknown>)) {
      if (!contracts.has(runner.type)) problems.push(`${file}: runs ${runner.type}, which no contract of @saasmon/contract defines`);
      else if (`${moduleNameOf(runner.type)}.ts` !== file)
        problems.push(`${file}: runs ${runner.type}, expected in ${moduleNameOf(runner.type)}.ts`);
      else if (!QUERY_TYPES.includes(runner)) problems.push(`${file}: its ${runner.type} runner is not the one the API runs`);
    }
  }
  expect(problems).toEqual([]);
});
