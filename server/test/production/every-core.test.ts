import Redis from 'ioredis';
import { availableParallelism } from 'node:os';
import { loadConfig, testConfig } from '../../../shared/config';
import { createKeys } from '../../../shared/redis/keys';
import { emitAck, testRedisUrl, uniquePrefix, waitFor } from '../../../shared/testing/harness';
import { freePort } from '../../../shared/testing/free-port';
import { killAllEntries, spawnEntry, type EntryProcess } from '../../../shared/testing/processes';
import { giftEndToEnd, settled } from './gift-story';
import { descendants, waitReady } from './processes';

/*
 * SERVER_PROCESSES=N: one PORT served by N server processes (a node cluster; @socket.io/sticky keeps each
 * Socket.io session on its process), sharing rooms through the Redis adapter. WORKER_PROCESSES likewise.
 */
const admin = testConfig().adminToken;
const copies = (proc: EntryProcess, entry: string) =>
  descendants(proc.child.pid!).filter((p) => p.args.includes(entry));

describe('how many processes', () => {
  it('defaults to 1; `auto` is one per core less one, at least 1; 0 is refused', () => {
    expect(loadConfig({}).serverProcesses).toBe(1);
    expect(loadConfig({}).workerProcesses).toBe(1);
    expect(loadConfig({ SERVER_PROCESSES: 'auto' }).serverProcesses).toBe(Math.max(1, availableParallelism() - 1));
    expect(loadConfig({ WORKER_PROCESSES: '3' }).workerProcesses).toBe(3);
    expect(() => loadConfig({ SERVER_PROCESSES: '0' })).toThrow(/SERVER_PROCESSES/);
  });
});

describe('SERVER_PROCESSES=2 and WORKER_PROCESSES=2', () => {
  const prefix = uniquePrefix();
  const env = { REDIS_URL: testRedisUrl(), KEY_PREFIX: prefix };
  let server: EntryProcess & { url: string };
  let workers: EntryProcess;
  let redis: Redis;

  beforeAll(async () => {
    redis = new Redis(testRedisUrl());
    const port = await freePort();
    // four processes booting from TypeScript on a shared 2-core machine: give them time
    const proc = spawnEntry('server/index.ts', {
      ...env,
      NODE_ENV: 'test',
      HOST: '127.0.0.1',
      PORT: String(port),
      SERVER_PROCESSES: '2',
    });
    server = Object.assign(proc, { url: `http://127.0.0.1:${port}` });
    await waitReady(server.url, server);
    workers = spawnEntry('workers/index.ts', { ...env, WORKER_PROCESSES: '2' });
  }, 120_000);

  afterAll(async () => {
    redis.disconnect();
    await killAllEntries();
  });

  it('runs two server processes and two worker processes', async () => {
    expect(copies(server, 'server/index.ts')).toHaveLength(2);
    await waitFor(
      () => copies(workers, 'workers/index.ts').length,
      (n) => n === 2,
      60_000,
      200,
    );
  });

  it.each(['websocket', 'polling'] as const)(
    'serves one port from both: a gift sent through a socket on one process reaches a watcher (%s) on the other, and is settled',
    async (transport) => {
      const story = await giftEndToEnd(server.url, admin, {
        transport,
        beforeSend: async ([, sender], streamId) => {
          // both sockets in the room: the room's viewers are written per process, so two process ids = two processes
          expect(await emitAck(sender!, 'stream:join', { streamId })).toMatchObject({ ok: true });
        },
      });
      // each process writes its own viewers (field `<processId>:u:<userId>`): two processes, one viewer each
      const fields = Object.keys(await redis.hgetall(createKeys(prefix).viewers(story.streamId)));
      expect(new Set(fields.map((f) => f.split(':u:')[0])).size).toBe(2);
      await settled(server.url, story.fanToken);
      for (const s of story.sockets) s.disconnect();
    },
    30_000,
  );

  it('replaces a server process that dies, and stops them all gracefully on SIGTERM', async () => {
    const [victim] = copies(server, 'server/index.ts');
    process.kill(victim!.pid, 'SIGKILL');
    await waitFor(
      () => copies(server, 'server/index.ts').map((p) => p.pid),
      (pids) => pids.length === 2 && !pids.includes(victim!.pid),
      15_000,
      100,
    );
    await waitFor(
      () =>
        fetch(`${server.url}/health/ready`).then(
          (r) => r.status,
          () => 0,
        ),
      (s) => s === 200,
    );
    expect(await server.stop()).toBe(0);
    expect(await workers.stop()).toBe(0);
  }, 40_000);
});
