/**
 * Configuration is parsed once, at start, from the environment, and passed down.
 * Development defaults are allowed (and printed) outside production only.
 */

const DEV_JWT_SECRET = 'dev-only-jwt-secret-change-me-0123456789';
const DEV_ADMIN_TOKEN = 'dev-admin-token';
const DEV_PORT = 3000;

import { envSchema, type ClusterNode, type MoneyCrashStep, type Ratio } from './config-env';

export { ENV_NAMES, parseClusterNodes, type ClusterNode, type MoneyCrashStep, type Ratio } from './config-env';

export interface Config {
  env: 'development' | 'test' | 'production';
  host: string;
  port: number;
  /** Undefined (and no cluster) means: start a local redis-server child (npm start only). */
  redisUrl: string | undefined;
  /** A Redis Cluster's seed nodes; when set, every connection is a cluster connection and redisUrl is ignored. */
  redisClusterNodes: ClusterNode[] | undefined;
  jwtSecret: string;
  adminToken: string;
  logLevel: string;
  keyPrefix: string;
  dataDir: string;
  localRedisPort: number;
  redisAppendfsync: 'always' | 'everysec';
  tokenTtlSec: number;
  idempotencyTtlSec: number;
  idempotencyLockMs: number;
  paymentProvider: 'sandbox';
  adultAge: number;
  creatorMinFollowers: number;
  diamondRate: Ratio;
  payoutMinDiamonds: number;
  payoutCentsPerDiamond: Ratio;
  streakGapMs: number;
  frameTickMs: number;
  frameLimit: number;
  leaderboardPushMs: number;
  giftRatePerSec: number;
  giftBurst: number;
  giftMaxInFlight: number;
  /**
   * Test hook (GIFT_CRASH_AFTER_HOLD): die right after a gift's wallet phase, run alone even on a single Redis (where
   * the phases are otherwise one call), as a crash between the phases leaves it.
   */
  giftCrashAfterHold: boolean;
  /** Test hook (MONEY_CRASH_AT): die right after that step of a chargeback or a payout review. */
  moneyCrashAt: MoneyCrashStep;
  leaderboardPushSize: number;
  viewersPushMs: number;
  processHeartbeatMs: number;
  socketMaxPayloadBytes: number;
  settleBatchMs: number;
  settleBatchMax: number;
  settleStaleMs: number;
  sweepEveryMs: number;
  workerConcurrency: number;
  jobAttempts: number;
  jobBackoffMs: number;
  workerLockMs: number;
  sweepMax: number;
  payoutCurrency: string;
  payoutProvider: 'sandbox';
  battleInviteTtlSec: number;
  battlePushMs: number;
  /** Without a trailing slash; undefined: URLs are built from the request (Host header, protocol). */
  publicUrl: string | undefined;
  trustProxy: boolean | number | string;
  /** Undefined: same origin only (no CORS headers). */
  corsOrigins: string[] | undefined;
  serverProcesses: number;
  workerProcesses: number;
  shutdownDrainMs: number;
  socketsPerAddress: number;
  rateLimitWindowSec: number;
  rateLimitPerAddress: number;
  rateLimitPerUser: number;
  rateLimitDevLogin: number;
  rateLimitMoney: number;
  rateLimitOverlayKey: number;
  rateLimitBattles: number;
  rateLimitOperatorFailures: number;
  battleInvitesPerChallenger: number;
  battleInvitesPerTarget: number;
  battleInviteWindowSec: number;
  workerMetricsPort: number;
  earningsHoldSec: number;
  payoutDestinationCooldownSec: number;
  /** null: no daily cap. */
  payoutDailyMaxDiamonds: number | null;
  /** null: no payout waits for review. */
  payoutReviewDiamonds: number | null;
  // webhooks (issue #18)
  /** Lower-case host names or suffixes starting with '.'; empty: any public host. */
  webhookAllowedHosts: string[];
  webhookAttempts: number;
  webhookRetryBaseMs: number;
  webhookRelayEveryMs: number;
  // gift hot path (#14): a socket's event budget, a token bucket in memory
  socketEventsPerSec: number;
  socketEventBurst: number;
  // watcher budget and backpressure (issue #14)
  watcherFramesPerSec: number;
  socketMaxBufferBytes: number;
  socketSlowGraceMs: number;
  /** Names of the settings that fell back to a development default. */
  defaultsUsed: string[];
}

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // An empty variable (VAR= in a compose file) means unset.
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(present);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const defaultsUsed: string[] = [];
  const orDefault = <T>(name: string, value: T | undefined, def: T): T => {
    if (value !== undefined) return value;
    defaultsUsed.push(name);
    return def;
  };
  const cfg: Config = {
    env: e.NODE_ENV,
    host: e.HOST,
    port: orDefault('PORT', e.PORT, DEV_PORT),
    redisUrl: e.REDIS_URL,
    redisClusterNodes: e.REDIS_CLUSTER_NODES,
    jwtSecret: orDefault('JWT_SECRET', e.JWT_SECRET, DEV_JWT_SECRET),
    adminToken: orDefault('ADMIN_TOKEN', e.ADMIN_TOKEN, DEV_ADMIN_TOKEN),
    logLevel: e.LOG_LEVEL,
    keyPrefix: e.KEY_PREFIX,
    dataDir: e.DATA_DIR,
    localRedisPort: e.LOCAL_REDIS_PORT,
    redisAppendfsync: e.REDIS_APPENDFSYNC,
    tokenTtlSec: e.TOKEN_TTL_SEC,
    idempotencyTtlSec: e.IDEMPOTENCY_TTL_SEC,
    idempotencyLockMs: e.IDEMPOTENCY_LOCK_MS,
    paymentProvider: e.PAYMENT_PROVIDER,
    adultAge: e.ADULT_AGE,
    creatorMinFollowers: e.CREATOR_MIN_FOLLOWERS,
    diamondRate: e.DIAMOND_RATE,
    payoutMinDiamonds: e.PAYOUT_MIN_DIAMONDS,
    payoutCentsPerDiamond: e.PAYOUT_CENTS_PER_DIAMOND,
    streakGapMs: e.STREAK_GAP_MS,
    frameTickMs: e.FRAME_TICK_MS,
    frameLimit: e.FRAME_LIMIT,
    leaderboardPushMs: e.LEADERBOARD_PUSH_MS,
    giftRatePerSec: e.GIFT_RATE_PER_SEC,
    giftBurst: e.GIFT_BURST,
    giftMaxInFlight: e.GIFT_MAX_IN_FLIGHT,
    giftCrashAfterHold: e.GIFT_CRASH_AFTER_HOLD === '1',
    moneyCrashAt: e.MONEY_CRASH_AT,
    leaderboardPushSize: e.LEADERBOARD_PUSH_SIZE,
    viewersPushMs: e.VIEWERS_PUSH_MS,
    processHeartbeatMs: e.PROCESS_HEARTBEAT_MS,
    socketMaxPayloadBytes: e.SOCKET_MAX_PAYLOAD_BYTES,
    settleBatchMs: e.SETTLE_BATCH_MS,
    settleBatchMax: e.SETTLE_BATCH_MAX,
    settleStaleMs: e.SETTLE_STALE_MS,
    sweepEveryMs: e.SWEEP_EVERY_MS,
    workerConcurrency: e.WORKER_CONCURRENCY,
    jobAttempts: e.JOB_ATTEMPTS,
    jobBackoffMs: e.JOB_BACKOFF_MS,
    workerLockMs: e.WORKER_LOCK_MS,
    sweepMax: e.SWEEP_MAX,
    payoutCurrency: e.PAYOUT_CURRENCY,
    payoutProvider: e.PAYOUT_PROVIDER,
    battleInviteTtlSec: e.BATTLE_INVITE_TTL_SEC,
    battlePushMs: e.BATTLE_PUSH_MS,
    publicUrl: e.PUBLIC_URL?.replace(/\/+$/, ''),
    trustProxy: e.TRUST_PROXY,
    corsOrigins: e.CORS_ORIGINS?.split(',')
      .map((o) => o.trim().replace(/\/+$/, ''))
      .filter((o) => o.length > 0),
    serverProcesses: e.SERVER_PROCESSES,
    workerProcesses: e.WORKER_PROCESSES,
    shutdownDrainMs: e.SHUTDOWN_DRAIN_MS,
    socketsPerAddress: e.SOCKETS_PER_ADDRESS,
    rateLimitWindowSec: e.RATE_LIMIT_WINDOW_SEC,
    rateLimitPerAddress: e.RATE_LIMIT_PER_ADDRESS,
    rateLimitPerUser: e.RATE_LIMIT_PER_USER,
    rateLimitDevLogin: e.RATE_LIMIT_DEV_LOGIN,
    rateLimitMoney: e.RATE_LIMIT_MONEY,
    rateLimitOverlayKey: e.RATE_LIMIT_OVERLAY_KEY,
    rateLimitBattles: e.RATE_LIMIT_BATTLES,
    rateLimitOperatorFailures: e.RATE_LIMIT_OPERATOR_FAILURES,
    battleInvitesPerChallenger: e.BATTLE_INVITES_PER_CHALLENGER,
    battleInvitesPerTarget: e.BATTLE_INVITES_PER_TARGET,
    battleInviteWindowSec: e.BATTLE_INVITE_WINDOW_SEC,
    workerMetricsPort: e.WORKER_METRICS_PORT,
    earningsHoldSec: e.EARNINGS_HOLD_SEC,
    payoutDestinationCooldownSec: e.PAYOUT_DESTINATION_COOLDOWN_SEC,
    payoutDailyMaxDiamonds: e.PAYOUT_DAILY_MAX_DIAMONDS ?? null,
    payoutReviewDiamonds: e.PAYOUT_REVIEW_DIAMONDS ?? null,
    webhookAllowedHosts: (e.WEBHOOK_ALLOWED_HOSTS ?? '')
      .split(',')
      .map((h) => h.trim().toLowerCase())
      .filter((h) => h.length > 0),
    webhookAttempts: e.WEBHOOK_ATTEMPTS,
    webhookRetryBaseMs: e.WEBHOOK_RETRY_BASE_MS,
    webhookRelayEveryMs: e.WEBHOOK_RELAY_EVERY_MS,
    socketEventsPerSec: e.SOCKET_EVENTS_PER_SEC,
    socketEventBurst: e.SOCKET_EVENT_BURST,
    watcherFramesPerSec: e.WATCHER_FRAMES_PER_SEC,
    socketMaxBufferBytes: e.SOCKET_MAX_BUFFER_BYTES,
    socketSlowGraceMs: e.SOCKET_SLOW_GRACE_MS,
    defaultsUsed,
  };
  if (e.REDIS_URL === undefined && e.REDIS_CLUSTER_NODES === undefined) defaultsUsed.push('REDIS_URL');
  if (cfg.env === 'production') {
    if (defaultsUsed.length > 0) {
      throw new ConfigError(
        `NODE_ENV=production refuses development defaults; set ${defaultsUsed.join(', ')} explicitly`,
      );
    }
    if (cfg.jwtSecret.length < 32) throw new ConfigError('JWT_SECRET must be at least 32 characters in production');
    if (cfg.giftCrashAfterHold) throw new ConfigError('GIFT_CRASH_AFTER_HOLD is a test hook: refused in production');
    if (cfg.moneyCrashAt !== 'none') throw new ConfigError('MONEY_CRASH_AT is a test hook: refused in production');
  }
  return cfg;
}

/**
 * Abuse limits far above what any test does from its one address: a test that is about a limit sets it itself
 * (server/test/hardening).
 */
const RELAXED_LIMITS: Partial<Config> = {
  socketsPerAddress: 100_000,
  rateLimitPerAddress: 1_000_000,
  rateLimitPerUser: 1_000_000,
  rateLimitDevLogin: 1_000_000,
  rateLimitMoney: 1_000_000,
  rateLimitOverlayKey: 1_000_000,
  rateLimitBattles: 1_000_000,
  rateLimitOperatorFailures: 1_000_000,
  battleInvitesPerChallenger: 1_000_000,
  battleInvitesPerTarget: 1_000_000,
  socketEventsPerSec: 1_000_000,
  socketEventBurst: 1_000_000,
  // the gift rate is decided in the wallet phase, which money stories call directly, thousands of gifts at once
  giftRatePerSec: 1_000_000,
  giftBurst: 1_000_000,
};

/** A config for tests and tools: development defaults plus overrides, never reading process.env. */
export function testConfig(overrides: Partial<Config> = {}): Config {
  return { ...loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent' }), ...RELAXED_LIMITS, ...overrides };
}
