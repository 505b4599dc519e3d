import Redis, { Cluster, type ClusterOptions, type RedisOptions } from 'ioredis';
import type { Config } from '../config';
import { registerScripts, type ScriptCommands } from './scripts';

/** One Redis or a Redis Cluster: the domain code is written against what both answer. */
export type RedisConnection = Redis | Cluster;
export type GiftwireRedis = RedisConnection & ScriptCommands;

/**
 * Where the connections go: a Redis Cluster when `redisClusterNodes` is set (REDIS_CLUSTER_NODES), else one Redis
 * at `redisUrl`. A bare URL is one Redis (tools and benches that start their own redis-server).
 */
export type RedisTarget = string | Pick<Config, 'redisUrl' | 'redisClusterNodes'>;

/**
 * The one place a connection is made. On a cluster: commands go to masters only (money is never read from a
 * replica that may lag), MOVED/ASK are followed by ioredis, and sharded pub/sub (SSUBSCRIBE) gets one subscriber
 * connection per master that owns a subscribed channel (`shardedSubscribers`), which the Socket.io sharded adapter
 * needs.
 */
export function connect(target: RedisTarget, options: RedisOptions = {}): RedisConnection {
  if (typeof target !== 'string' && target.redisClusterNodes && target.redisClusterNodes.length > 0) {
    const clusterOptions: ClusterOptions = {
      scaleReads: 'master',
      shardedSubscribers: true,
      enableAutoPipelining: options.enableAutoPipelining ?? false,
      // ioredis leaves these out of auto-pipelines only for classic pub/sub: a pipelined SSUBSCRIBE would miss the
      // sharded subscriber connections and turn a command connection into a subscriber
      autoPipeliningIgnoredCommands: ['ssubscribe', 'sunsubscribe'],
      redisOptions: options,
    };
    return new Cluster(target.redisClusterNodes, clusterOptions);
  }
  const url = typeof target === 'string' ? target : target.redisUrl;
  if (!url) throw new Error('no Redis to connect to: set REDIS_URL or REDIS_CLUSTER_NODES');
  return new Redis(url, options);
}

/**
 * What a log must never show on a cluster: a command across slots (CROSSSLOT from Redis; ioredis refuses a
 * pipeline across slots itself, with "should belong to the same slot..."), or a redirection or slot-map error that
 * reached the caller (ioredis follows MOVED and ASK by itself, so one that surfaces is a failed command).
 */
export const CLUSTER_ERRORS = /CROSSSLOT|should belong to the same slot|MOVED|\bASK\b|CLUSTERDOWN|TRYAGAIN/;

export function isCluster(conn: RedisConnection): conn is Cluster {
  return conn instanceof Cluster;
}

/**
 * A command connection with every Lua script registered through defineCommand
 * (EVALSHA with a fallback to EVAL, so NOSCRIPT after a Redis restart, or on a master that never ran it, is handled).
 */
export function createRedis(target: RedisTarget, options: RedisOptions = {}): GiftwireRedis {
  const redis = connect(target, { enableAutoPipelining: true, ...options });
  registerScripts(redis);
  return redis as GiftwireRedis;
}

/** A connection of its own to the same Redis or cluster, nothing pipelined on it (WATCH needs that). */
export function dedicatedConnection(conn: RedisConnection): RedisConnection {
  return isCluster(conn)
    ? conn.duplicate(undefined, { enableAutoPipelining: false })
    : conn.duplicate({ enableAutoPipelining: false });
}

/** Connections for BullMQ must never give up on a command (BullMQ requires maxRetriesPerRequest: null). */
export function createBullConnection(target: RedisTarget): RedisConnection {
  return connect(target, { maxRetriesPerRequest: null });
}

/**
 * QUIT after the connection is ready, so commands queued while it was connecting (a Socket.io adapter's
 * SUBSCRIBE, say) get their replies instead of being rejected as "Connection is closed".
 */
export async function quitWhenReady(conn: RedisConnection, timeoutMs = 2000): Promise<void> {
  if (conn.status === 'end') return;
  if (conn.status !== 'ready') {
    await new Promise<void>((resolve) => {
      const t = setTimeout(resolve, timeoutMs);
      conn.once('ready', () => {
        clearTimeout(t);
        resolve();
      });
    });
  }
  await conn.quit().catch(() => conn.disconnect());
}
