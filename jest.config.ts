import type { Config } from 'jest';

// One real redis-server for the whole run (started in globalSetup); every test file
// isolates itself with its own key prefix. Two cores: two workers.
const config: Config = {
  testEnvironment: 'node',
  roots: ['<rootDir>/server', '<rootDir>/workers', '<rootDir>/shared', '<rootDir>/load-tests'],
  testMatch: ['**/test/**/*.test.ts'],
  transform: { '^.+\\.ts$': 'ts-jest' },
  globalSetup: '<rootDir>/shared/testing/global-setup.ts',
  globalTeardown: '<rootDir>/shared/testing/global-teardown.ts',
  maxWorkers: 2,
  testTimeout: 30_000,
  verbose: true,
};

export default config;
