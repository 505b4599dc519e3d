import Redis, { type RedisOptions } from 'ioredis';
import { registerScripts, type ScriptCommands } from './scripts';

export type GiftwireRedis = Redis & ScriptCommands;

/**
 * A command connection with every Lua script registered through defineCommand
 * (EVALSHA with a fallback to EVAL, so NOSCRIPT after a Redis restart is handled).
 */
export function createRedis(url: string, options: RedisOptions = {}): GiftwireRedis {
  const redis = new Redis(url, { enableAutoPipelining: true, ...options });
  registerScripts(redis);
  return redis as GiftwireRedis;
}

/** Connections for BullMQ must never give up on a command (BullMQ requires maxRetriesPerRequest: null). */
export function createBullConnection(url: string): Redis {
  return new Redis(url, { maxRetriesPerRequest: null });
}

/**
 * QUIT after the connection is ready, so commands queued while it was connecting (a Socket.io adapter's
 * SUBSCRIBE, say) get their replies instead of being rejected as "Connection is closed".
 */
export async function quitWhenReady(conn: Redis, timeoutMs = 2000): Promise<void> {
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
