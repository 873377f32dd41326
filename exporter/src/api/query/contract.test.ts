import { QUERY_CONTRACTS } from '@saasmon/contract';
import { QUERY_TYPES } from '.';

// The exporter runs exactly the query types of the contract (@saasmon/contract), with the
// contract's own schema object: the datasource and the dashboard generator validate against the
// same one. A query type still defining its schema in its module fails here until it moves.

it('implements every query type of the contract, with its schema, and nothing else', () => {
  const contracts = new Map(QUERY_CONTRACTS.map((c) => [c.type as string, c]));
  expect(QUERY_TYPES.map((q) => q.type).sort()).toEqual([...contracts.keys()].sort());
  expect(QUERY_TYPES.filter((q) => contracts.get(q.type)?.schema !== q.schema).map((q) => q.type)).toEqual([]);
});
