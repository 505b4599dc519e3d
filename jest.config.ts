import type { Config } from 'jest';

/**
 * The test folders that also run on a real three-master Redis Cluster (the project `cluster`), in one place so the
 * list can grow as features become cluster-ready: the money, gifting, battle, settlement and crash stories, and
 * the scale-out infrastructure's own. Every folder runs on one redis-server in the project `one`.
 */
export const CLUSTER_FOLDERS = [
  'server/test/scale-out',
  // the money, gifting, battle, settlement and crash stories (keys by owner: nothing assumes two owners share a slot)
  'server/test/wallet',
  'server/test/gifting',
  'server/test/battles',
  'server/test/settlement',
  'server/test/payouts',
  'server/test/streams',
  'server/test/accounts',
  'server/test/payout-safety',
  'server/test/chargebacks',
  'server/test/recharge-safety',
  'server/test/fraud',
  'workers/test',
  // gift hot path (#14): the token bucket and batching money stories
  'server/test/gift-path',
  // live experience (#17): streak ends and goals
  'server/test/streaks',
  'server/test/goals',
  // leaderboards (#17): creator boards in the creator's slot, the creator rankings in one slot per period
  'server/test/leaderboards',
  // the watcher budget and backpressure (issue #14): the relay between server processes rides the sharded adapter
  'server/test/watcher-budget',
];

/** Files of those folders that are about one redis-server itself, so say nothing on a cluster. */
const ONE_REDIS_ONLY = [
  // restarts the single redis-server it starts for itself
  '/workers/test/settlement/redis-restart\\.test\\.ts$',
  // counts the commands of the redis-server it starts for itself
  '/server/test/gift-path/floods\\.test\\.ts$',
  // a single Redis runs every step of a gift in one call; a cluster keeps them apart (the other gift-path stories)
  '/server/test/gift-path/one-call\\.test\\.ts$',
];

const common = {
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': 'ts-jest' },
  // one file for every project: jest runs it once, after the last test, and it stops whatever was started
  globalTeardown: '<rootDir>/shared/testing/global-teardown.ts',
};

// Real Redis started in globalSetup (one redis-server; a cluster only when the cluster project has tests to run);
// every test file isolates itself with its own key prefix. Two cores: two workers.
const config: Config = {
  maxWorkers: 2,
  testTimeout: 30_000, // a run-wide option: jest ignores it inside a project
  verbose: true,
  projects: [
    {
      ...common,
      displayName: 'one',
      roots: ['<rootDir>/server', '<rootDir>/workers', '<rootDir>/shared', '<rootDir>/load-tests'],
      testMatch: ['**/test/**/*.test.ts'],
      globalSetup: '<rootDir>/shared/testing/global-setup.ts',
      setupFiles: ['<rootDir>/shared/testing/one-redis-run.ts'],
    },
    {
      ...common,
      displayName: 'cluster',
      roots: CLUSTER_FOLDERS.map((folder) => `<rootDir>/${folder}`),
      testMatch: ['**/*.test.ts'],
      globalSetup: '<rootDir>/shared/testing/global-setup-cluster.ts',
      testPathIgnorePatterns: ['/node_modules/', ...ONE_REDIS_ONLY],
      setupFiles: ['<rootDir>/shared/testing/cluster-run.ts'],
    },
  ],
};

export default config;
