import type Redis from 'ioredis';
import { isCluster, type RedisConnection } from './client';

/**
 * Every master's own connection: a cluster's keyspace is split over its masters, so a tool that walks keys (SCAN,
 * INFO, DBSIZE) asks each of them; on one Redis, that Redis.
 */
export function masters(conn: RedisConnection): Redis[] {
  if (!isCluster(conn)) return [conn];
  const nodes = conn.nodes('master');
  if (nodes.length === 0) throw new Error('the Redis Cluster has no known master yet: send a command first');
  return nodes;
}

/**
 * The keys matching `pattern` (a SCAN MATCH glob), from every master, in batches as SCAN returns them. SCAN may
 * return a key twice (a rehash during the walk): callers that count must not mind.
 */
export async function* scanKeys(conn: RedisConnection, pattern: string, count = 1000): AsyncGenerator<string[]> {
  if (isCluster(conn) && conn.status !== 'ready') await conn.ping(); // learns the slot map
  for (const node of masters(conn)) {
    let cursor = '0';
    do {
      const [next, keys] = await node.scan(cursor, 'MATCH', pattern, 'COUNT', count);
      cursor = next;
      if (keys.length > 0) yield keys;
    } while (cursor !== '0');
  }
}

/** A literal string as a SCAN MATCH glob (the `{tag}` braces are literal already; `*?[]\` are not). */
export function globLiteral(s: string): string {
  return s.replace(/[*?[\]\\]/g, '\\$&');
}
