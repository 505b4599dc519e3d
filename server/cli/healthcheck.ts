import { parseClusterNodes } from '../../shared/config';
import { connect } from '../../shared/redis/client';

/**
 * The container healthcheck (Dockerfile HEALTHCHECK, docker-compose.yml), so that images need no curl:
 *   healthcheck live     GET /health/live on this container's PORT answers 200 (the server)
 *   healthcheck ready    GET /health/ready answers 200
 *   healthcheck redis    REDIS_URL (or the cluster of REDIS_CLUSTER_NODES) answers a PING (the workers, which serve
 *                        no HTTP)
 * Exits 0 when healthy, 1 otherwise.
 */
async function check(what: string | undefined): Promise<boolean> {
  if (what === 'live' || what === 'ready') {
    const port = process.env.PORT ?? '3000';
    const res = await fetch(`http://127.0.0.1:${port}/health/${what}`, { signal: AbortSignal.timeout(2500) });
    return res.status === 200;
  }
  if (what === 'redis') {
    const nodes = process.env.REDIS_CLUSTER_NODES;
    const target = {
      redisUrl: process.env.REDIS_URL || 'redis://127.0.0.1:6379',
      redisClusterNodes: nodes ? parseClusterNodes(nodes) : undefined,
    };
    // no lazy connect: a cluster connects itself (its options apply per node); the answer is awaited 2.5 s at most
    const redis = connect(target, { maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 2500 });
    redis.on('error', () => undefined);
    const late = new Promise<string>((_, reject) =>
      setTimeout(() => reject(new Error('Redis did not answer a PING within 2.5 s')), 2500).unref(),
    );
    try {
      return (await Promise.race([redis.ping(), late])) === 'PONG';
    } finally {
      redis.disconnect();
    }
  }
  console.error('usage: healthcheck live|ready|redis');
  return false;
}

check(process.argv[2]).then(
  (ok) => process.exit(ok ? 0 : 1),
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : String(err));
    process.exit(1);
  },
);
