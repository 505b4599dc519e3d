import { ConfigError, loadConfig } from '../config';

describe('REDIS_CLUSTER_NODES names a Redis Cluster, and then REDIS_URL is ignored', () => {
  it('is read as a list of host:port seed nodes', () => {
    const c = loadConfig({ REDIS_CLUSTER_NODES: '10.0.0.1:7000,redis-b.internal:7001,127.0.0.1:7002' });
    expect(c.redisClusterNodes).toEqual([
      { host: '10.0.0.1', port: 7000 },
      { host: 'redis-b.internal', port: 7001 },
      { host: '127.0.0.1', port: 7002 },
    ]);
    expect(c.defaultsUsed).not.toContain('REDIS_URL');
  });

  it('unset or empty means one Redis', () => {
    expect(loadConfig({}).redisClusterNodes).toBeUndefined();
    expect(loadConfig({ REDIS_CLUSTER_NODES: '', REDIS_URL: 'redis://r:6379' })).toMatchObject({
      redisClusterNodes: undefined,
      redisUrl: 'redis://r:6379',
    });
  });

  it('production starts on a cluster without REDIS_URL', () => {
    const c = loadConfig({
      NODE_ENV: 'production',
      PORT: '8080',
      REDIS_CLUSTER_NODES: 'r1:7000,r2:7000,r3:7000',
      JWT_SECRET: 'x'.repeat(40),
      ADMIN_TOKEN: 'a-real-admin-token',
    });
    expect(c.redisClusterNodes).toHaveLength(3);
    expect(c.redisUrl).toBeUndefined();
  });

  it.each(['r1', 'r1:', 'r1:7000,', 'r1:7000;r2:7000', 'r1:7000, r2:7000', 'redis://r1:7000'])(
    '"%s" is refused at start',
    (value) => {
      expect(() => loadConfig({ REDIS_CLUSTER_NODES: value })).toThrow(ConfigError);
    },
  );
});
