/** Exporter tests run against real Postgres (see src/testing/global-setup.ts). */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/src'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022' } }] },
  // The query contract from its source: tests never depend on a build of contract/.
  moduleNameMapper: { '^@saasmon/contract$': '<rootDir>/../contract/src' },
  globalSetup: '<rootDir>/src/testing/global-setup.ts',
  globalTeardown: '<rootDir>/src/testing/global-teardown.ts',
  testTimeout: 60_000,
  maxWorkers: 2,
};
