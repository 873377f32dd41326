// Times in snapshots and date math are UTC whatever the machine's zone.
process.env.TZ = 'UTC';

const base = require('./.config/jest.config');

const [[pattern, swc]] = Object.entries(base.transform);

module.exports = {
  ...base,
  // ESM-only dependencies (d3-color ships .mjs) go through swc too.
  transform: { [pattern]: swc, '^.+\\.mjs$': swc },
  // The browser test (harness/) drives the built panels in headless Chromium.
  testMatch: [...base.testMatch, '<rootDir>/harness/**/*.test.{ts,tsx}'],
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/dist/', '<rootDir>/harness/dist/'],
  testTimeout: 30000,
};
