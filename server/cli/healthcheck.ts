import Redis from 'ioredis';

/**
 * The container healthcheck (Dockerfile HEALTHCHECK, docker-compose.yml), so that images need no curl:
 *   healthcheck live     GET /health/live on this container's PORT answers 200 (the server)
 *   healthcheck ready    GET /health/ready answers 200
 *   healthcheck redis    REDIS_URL answers a PING (the workers, which serve no HTTP)
 * Exits 0 when healthy, 1 otherwise.
 */
async function check(what: string | undefined): Promise<boolean> {
  if (what === 'live' || what === 'ready') {
    const port = process.env.PORT ?? '3000';
    const res = await fetch(`http://127.0.0.1:${port}/health/${what}`, { signal: AbortSignal.timeout(2500) });
    return res.status === 200;
  }
  if (what === 'redis') {
    const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', {
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
      connectTimeout: 2500,
    });
    redis.on('error', () => undefined);
    try {
      await redis.connect();
      return (await redis.ping()) === 'PONG';
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
