import { availableParallelism } from 'node:os';
import { z } from 'zod';

/**
 * The environment Giftwire reads, as one zod schema: every variable, its default and its bounds. shared/config.ts
 * turns the parsed values into the Config that is passed down.
 */

export interface ClusterNode {
  host: string;
  port: number;
}

/** `host:port,host:port` -> nodes (the schema has checked the shape). */
export function parseClusterNodes(list: string): ClusterNode[] {
  return list.split(',').map((node) => {
    const at = node.lastIndexOf(':');
    return { host: node.slice(0, at), port: Number(node.slice(at + 1)) };
  });
}

/** "1/2" -> { num: 1, den: 2 }: rates stay exact integers, never floats. */
const ratio = z
  .string()
  .regex(/^\d+\/\d+$/, 'expected a ratio like 1/2')
  .transform((s) => {
    const [num, den] = s.split('/').map(Number) as [number, number];
    return { num, den };
  })
  .refine((r) => r.den > 0 && r.num <= r.den, 'ratio must be between 0 and 1 with a non-zero denominator');

const intFromEnv = (def: number, min = 0, max = Number.MAX_SAFE_INTEGER) =>
  z.coerce.number().int().min(min).max(max).default(def);

/** `auto` = one per core less one (the other core is left to Redis and the workers), at least 1. */
const processCount = z
  .union([z.literal('auto'), z.coerce.number().int().min(1).max(256)])
  .default(1)
  .transform((v) => (v === 'auto' ? Math.max(1, availableParallelism() - 1) : v));

/** Express's `trust proxy` forms: true/false, a hop count, or a comma-separated list of addresses/subnets/names. */
const trustProxy = z
  .string()
  .default('loopback')
  .transform((v): boolean | number | string => {
    if (v === 'true' || v === 'false') return v === 'true';
    if (/^\d+$/.test(v)) return Number(v);
    return v;
  });

export const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  HOST: z.string().default('0.0.0.0'),
  PORT: z.coerce.number().int().min(0).max(65535).optional(),
  REDIS_URL: z.string().url().optional(),
  /** Seed nodes of a Redis Cluster, `host:port,host:port`; when set, REDIS_URL is ignored. */
  REDIS_CLUSTER_NODES: z
    .string()
    .regex(/^[^\s,:]+:\d{1,5}(,[^\s,:]+:\d{1,5})*$/, 'expected comma-separated host:port')
    .transform(parseClusterNodes)
    .optional(),
  JWT_SECRET: z.string().min(16, 'JWT_SECRET must be at least 16 characters').optional(),
  ADMIN_TOKEN: z.string().min(8, 'ADMIN_TOKEN must be at least 8 characters').optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Every Redis key (and BullMQ queue, and adapter channel) lives under {KEY_PREFIX}. */
  KEY_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,32}$/)
    .default('gw'),
  /** Local redis-server child (only when REDIS_URL is unset). */
  DATA_DIR: z.string().default('./data'),
  LOCAL_REDIS_PORT: intFromEnv(6390, 1, 65535),
  REDIS_APPENDFSYNC: z.enum(['always', 'everysec']).default('everysec'),
  TOKEN_TTL_SEC: intFromEnv(7 * 24 * 3600, 60),
  IDEMPOTENCY_TTL_SEC: intFromEnv(48 * 3600, 24 * 3600),
  /** How long a request that calls a provider (recharge, payout) holds its idempotency key in flight. */
  IDEMPOTENCY_LOCK_MS: intFromEnv(30_000, 1000),
  /** Which payment provider charges recharges; `sandbox` accepts tok_ok and declines everything else. */
  PAYMENT_PROVIDER: z.enum(['sandbox']).default('sandbox'),
  ADULT_AGE: intFromEnv(18, 0, 150),
  CREATOR_MIN_FOLLOWERS: intFromEnv(1000),
  DIAMOND_RATE: ratio.prefault('1/2'),
  PAYOUT_MIN_DIAMONDS: intFromEnv(2000, 1),
  /** Cents paid per diamond, as a ratio: 1/2 means 1 diamond = half a cent. */
  PAYOUT_CENTS_PER_DIAMOND: ratio.prefault('1/2'),
  STREAK_GAP_MS: intFromEnv(3000, 1),
  FRAME_TICK_MS: intFromEnv(50, 1, 10_000),
  FRAME_LIMIT: intFromEnv(20, 1),
  LEADERBOARD_PUSH_MS: intFromEnv(250, 10),
  GIFT_RATE_PER_SEC: intFromEnv(20, 1),
  GIFT_BURST: intFromEnv(100, 1),
  /** Gifts one server process works on at once; past it, gift:send is shed with RATE_LIMITED. */
  GIFT_MAX_IN_FLIGHT: intFromEnv(4000, 1),
  /**
   * Test hook, refused in production: '1' makes a server process kill itself (SIGKILL) right after a gift's wallet
   * phase, so a story can prove that the sweeper finishes a gift whose process died between the phases.
   */
  GIFT_CRASH_AFTER_HOLD: z.enum(['0', '1']).default('0'),
  /**
   * Test hook, refused in production: a server process SIGKILLs itself right after the named step of a chargeback
   * (open, fence, void, unapply, clawback, claw-record), of a payout review (review) or of a recharge (charge: the
   * provider said yes, nothing recorded yet) or of a settlement (ranked: counted on the creator rankings, not yet
   * credited or settled), so stories can prove that
   * re-running finishes the work exactly once.
   */
  MONEY_CRASH_AT: z
    .enum([
      'none',
      'open',
      'fence',
      'void',
      'unapply',
      'clawback',
      'claw-record',
      'review',
      'charge',
      // leaderboards (#17): a settlement that counted a gift on the creator rankings, not yet credited or settled
      'ranked',
    ])
    .default('none'),
  /** Rows of the `leaderboard` push and of the join acknowledgement. */
  LEADERBOARD_PUSH_SIZE: intFromEnv(10, 1, 100),
  VIEWERS_PUSH_MS: intFromEnv(1000, 10),
  /** Each server process refreshes its heartbeat this often; viewer counts of silent processes expire after 3 beats. */
  PROCESS_HEARTBEAT_MS: intFromEnv(5000, 100),
  SOCKET_MAX_PAYLOAD_BYTES: intFromEnv(16 * 1024, 1024),
  SETTLE_BATCH_MS: intFromEnv(20, 1),
  SETTLE_BATCH_MAX: intFromEnv(500, 1),
  /** A hold older than this and still unsettled is re-enqueued by the sweeper and reported by reconcile. */
  SETTLE_STALE_MS: intFromEnv(30_000, 100),
  SWEEP_EVERY_MS: intFromEnv(10_000, 100),
  WORKER_CONCURRENCY: intFromEnv(4, 1),
  // ---- settlement and payout jobs ----
  /** Attempts of a job before it stays in the failed set (exponential backoff from JOB_BACKOFF_MS). */
  JOB_ATTEMPTS: intFromEnv(8, 1),
  JOB_BACKOFF_MS: intFromEnv(1000, 1),
  /** A job whose worker stopped renewing its lock for this long is stalled and handed to another worker. */
  WORKER_LOCK_MS: intFromEnv(30_000, 500),
  /** At most this many outbox entries are re-enqueued by one sweep. */
  SWEEP_MAX: intFromEnv(50_000, 1),
  PAYOUT_CURRENCY: z
    .string()
    .regex(/^[A-Z]{3}$/)
    .default('USD'),
  /** Which provider pays payouts; `sandbox` pays every destination but `acct_fail`. */
  PAYOUT_PROVIDER: z.enum(['sandbox']).default('sandbox'),
  /** A creator's diamonds become withdrawable this long after the gift that earned them settled. */
  EARNINGS_HOLD_SEC: intFromEnv(0),
  /** A payout destination is usable this long after it was added (a stolen token cannot cash out at once). */
  PAYOUT_DESTINATION_COOLDOWN_SEC: intFromEnv(0),
  /** A creator's payouts of one UTC day may not pass this many diamonds; unset = unlimited. */
  PAYOUT_DAILY_MAX_DIAMONDS: z.coerce.number().int().min(0).optional(),
  /** A payout of at least this many diamonds waits for an operator's review; unset = never. */
  PAYOUT_REVIEW_DIAMONDS: z.coerce.number().int().min(1).optional(),
  BATTLE_INVITE_TTL_SEC: intFromEnv(60, 1),
  /** battle:update is pushed at most once per this many ms per battle (per server process), and only on change. */
  BATTLE_PUSH_MS: intFromEnv(250, 10),
  // ---- running it in production ----
  /** The public base URL (scheme, host, optional path) of every URL Giftwire hands out, e.g. overlayUrl. */
  PUBLIC_URL: z
    .string()
    .url()
    .regex(/^https?:\/\//, 'PUBLIC_URL must be an http or https URL')
    .optional(),
  TRUST_PROXY: trustProxy,
  /** Origins allowed to call the API from a browser (comma-separated); unset: same origin only. */
  CORS_ORIGINS: z.string().optional(),
  /** Server processes sharing PORT (node cluster + sticky sessions); `auto` = one per core less one. */
  SERVER_PROCESSES: processCount,
  WORKER_PROCESSES: processCount,
  /** On SIGTERM, /health/ready answers 503 this long before sockets are drained, so a proxy stops routing here. */
  SHUTDOWN_DRAIN_MS: intFromEnv(1000, 0, 60_000),
  // ---- abuse limits (docs/SECURITY.md); 0 turns a limit off ----
  /** Socket.io connections one client address may hold open on one server process. */
  SOCKETS_PER_ADDRESS: intFromEnv(50),
  /** REST request limits count over fixed windows of this many seconds, in Redis (shared by every process). */
  RATE_LIMIT_WINDOW_SEC: intFromEnv(60, 1),
  RATE_LIMIT_PER_ADDRESS: intFromEnv(1200),
  RATE_LIMIT_PER_USER: intFromEnv(600),
  RATE_LIMIT_DEV_LOGIN: intFromEnv(20),
  RATE_LIMIT_MONEY: intFromEnv(20),
  RATE_LIMIT_OVERLAY_KEY: intFromEnv(10),
  RATE_LIMIT_BATTLES: intFromEnv(60),
  RATE_LIMIT_OPERATOR_FAILURES: intFromEnv(20),
  /** Battle invitations a creator may send, and receive, per BATTLE_INVITE_WINDOW_SEC. */
  BATTLE_INVITES_PER_CHALLENGER: intFromEnv(10),
  BATTLE_INVITES_PER_TARGET: intFromEnv(20),
  BATTLE_INVITE_WINDOW_SEC: intFromEnv(600, 1),
  /** A workers process serves Prometheus metrics on this port (operator token); 0 turns that off. */
  WORKER_METRICS_PORT: intFromEnv(9464, 0, 65535),
  // ---- webhooks (issue #18) ----
  /** Host names or suffixes (`.example.com`) webhooks may target, comma-separated; unset: any public host. */
  WEBHOOK_ALLOWED_HOSTS: z.string().optional(),
  /** Delivery attempts of one event to one webhook; retries back off exponentially from WEBHOOK_RETRY_BASE_MS. */
  WEBHOOK_ATTEMPTS: intFromEnv(12, 1, 100),
  /** The first retry's delay: at most 10 s (the contract's bound). */
  WEBHOOK_RETRY_BASE_MS: intFromEnv(5000, 1, 10_000),
  /** How often the workers move events from the outboxes into delivery jobs. */
  WEBHOOK_RELAY_EVERY_MS: intFromEnv(1000, 20, 60_000),
  // ---- gift hot path (#14): every socket's event budget (gift:send, stream:join, stream:leave), in memory ----
  SOCKET_EVENTS_PER_SEC: intFromEnv(30, 1),
  SOCKET_EVENT_BURST: intFromEnv(150, 1),
  // ---- watcher budget and backpressure (issue #14) ----
  /** `gifts` frames a watcher socket receives per second at most (creator and overlay sockets get every tick). */
  WATCHER_FRAMES_PER_SEC: intFromEnv(10, 1, 1000),
  /** What one socket may have unsent in this process (Giftwire's own + engine.io's buffers) before it is slow. */
  SOCKET_MAX_BUFFER_BYTES: intFromEnv(1024 * 1024, 1024),
  /** A socket slow for this long is disconnected. */
  SOCKET_SLOW_GRACE_MS: intFromEnv(5000, 50),
});

/** Every environment variable this module reads (the README's configuration table lists each). */
export const ENV_NAMES: readonly string[] = Object.keys(envSchema.shape);

export type Ratio = { num: number; den: number };

export type MoneyCrashStep = z.infer<typeof envSchema>['MONEY_CRASH_AT'];
