// Times in snapshots and date math are UTC whatever the machine's zone.
process.env.TZ = 'UTC';

const base = require('./.config/jest.config');

const [[pattern, swc]] = Object.entries(base.transform);

module.exports = {
  ...base,
  // ESM-only dependencies (d3-color ships .mjs) go through swc too.
  transform: { [pattern]: swc, '^.+\\.mjs$': swc },
  // The query contract from its source: tests never depend on a build of contract/.
  moduleNameMapper: { ...base.moduleNameMapper, '^@saasmon/contract$': '<rootDir>/../contract/src' },
  // The end-to-end test queries a real exporter on a real Postgres: the exporter's test database setup.
  globalSetup: '<rootDir>/../exporter/src/testing/global-setup.ts',
  globalTeardown: '<rootDir>/../exporter/src/testing/global-teardown.ts',
  testTimeout: 60000,
};
