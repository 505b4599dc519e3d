import { randomUUID } from 'node:crypto';
import { freePort } from '../../../shared/testing/free-port';
import { emitAck, testRedisUrl, waitFor, type TestSocket } from '../../../shared/testing/harness';
import { killAllEntries, spawnEntry, type EntryProcess } from '../../../shared/testing/processes';
import { startTestServer, type TestServer } from '../support/test-server';
import { families, sample } from './prometheus-text';

/** What an operator's dashboards and alerts read; the Grafana test checks a panel for each. */
export const SERVER_METRICS = [
  'giftwire_gift_ack_seconds',
  'giftwire_gift_acks_total',
  'giftwire_gifts_shed_total',
  'giftwire_gift_broadcast_delay_seconds',
  'giftwire_sockets',
  'giftwire_rooms',
  'giftwire_outbox_depth',
  'giftwire_outbox_oldest_age_seconds',
  'giftwire_queue_jobs',
  'giftwire_redis_rtt_seconds',
  'giftwire_ready',
  // the watcher budget and backpressure (issue #14)
  'giftwire_slow_sockets_disconnected_total',
];
export const WORKER_METRICS = [
  'giftwire_settlement_lag_seconds',
  'giftwire_settlement_gifts_total',
  'giftwire_outbox_depth',
  'giftwire_outbox_oldest_age_seconds',
  'giftwire_queue_jobs',
  'giftwire_redis_rtt_seconds',
  'giftwire_ready',
];

describe('metrics an operator alerts on, from the server and from the workers', () => {
  let server: TestServer;
  let workers: EntryProcess | undefined;
  let workersUrl: string;
  const admin = () => server.deps.config.adminToken;
  const scrape = async (url: string, token?: string) => {
    const res = await fetch(`${url}/metrics`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
    return { status: res.status, text: await res.text() };
  };

  beforeAll(async () => {
    // A small in-flight cap and rate limit, so that a burst sheds and rate-limits some gifts.
    server = await startTestServer({ giftMaxInFlight: 6, giftRatePerSec: 5, giftBurst: 12 });
    workersUrl = `http://127.0.0.1:${await freePort()}`;
  });
  afterAll(async () => {
    await killAllEntries();
    await server.close();
  });

  test('both endpoints refuse a scrape without the operator token', async () => {
    expect((await scrape(server.url)).status).toBe(401);
    expect((await scrape(server.url, 'not-the-token')).status).toBe(401);
  });

  test('a gift war moves them: acks, sheds, rate limits, broadcasts, sockets, rooms, outbox, queues, settlement lag', async () => {
    const before = (await scrape(server.url, admin())).text;
    expect(families(before)).toEqual(expect.arrayContaining(SERVER_METRICS));
    expect(sample(before, 'giftwire_ready')).toBe(1);
    expect(sample(before, 'giftwire_outbox_depth')).toBe(0);

    const creator = await server.createUser({ followers: 5000 });
    const { stream } = (await server.request('POST', '/v1/streams', { token: creator.token, body: { title: 'war' } }))
      .body;
    const viewers: TestSocket[] = [];
    for (let i = 0; i < 4; i++) {
      const v = await server.createUser();
      await server.request('POST', '/v1/wallet/recharges', {
        token: v.token,
        headers: { 'idempotency-key': randomUUID() },
        body: { coins: 10_000, payment: { token: 'tok_ok' } },
      });
      const socket = await server.connect({ token: v.token });
      await emitAck(socket, 'stream:join', { streamId: stream.id });
      viewers.push(socket);
    }
    const watcher = await server.connect();
    await emitAck(watcher, 'stream:join', { streamId: stream.id });

    // 4 viewers x 25 gifts, all at once: more than 6 in flight, and more than each viewer's burst of 12.
    const acks = await Promise.all(
      viewers.flatMap((socket) =>
        Array.from({ length: 25 }, () =>
          emitAck(socket, 'gift:send', { streamId: stream.id, giftId: 'rose', idempotencyKey: randomUUID() }, 15_000),
        ),
      ),
    );
    const accepted = acks.filter((a) => a.ok).length;
    const refused = acks.filter((a) => !a.ok && a.error.code === 'RATE_LIMITED').length;
    expect(accepted).toBeGreaterThan(0);
    expect(refused).toBeGreaterThan(0);

    const during = await waitFor(
      async () => (await scrape(server.url, admin())).text,
      (t) => (sample(t, 'giftwire_gift_broadcast_delay_seconds_count') ?? 0) >= accepted,
      5000,
    );
    expect(sample(during, 'giftwire_gift_ack_seconds_count', { result: 'ok' })).toBe(accepted);
    expect(sample(during, 'giftwire_gift_ack_seconds_count', { result: 'error' })).toBe(acks.length - accepted);
    expect(sample(during, 'giftwire_gift_acks_total', { outcome: 'RATE_LIMITED' })).toBe(refused);
    expect(sample(during, 'giftwire_gifts_shed_total')).toBeGreaterThan(0);
    expect(sample(during, 'giftwire_gift_broadcast_delay_seconds_count')).toBe(accepted);
    expect(sample(during, 'giftwire_sockets', { kind: 'user' })).toBe(4);
    expect(sample(during, 'giftwire_sockets', { kind: 'anonymous' })).toBe(1);
    // the stream's room, its watchers' room and its creator's room (the creator has no socket: not counted)
    expect(sample(during, 'giftwire_rooms')).toBe(2);
    // no workers yet: every accepted gift waits in the outbox, its settlement jobs in the queue
    expect(sample(during, 'giftwire_outbox_depth')).toBe(accepted);
    expect(sample(during, 'giftwire_outbox_oldest_age_seconds')).toBeGreaterThan(0);
    expect(sample(during, 'giftwire_queue_jobs', { queue: 'settlement', state: 'waiting' })).toBeGreaterThan(0);
    expect(sample(during, 'giftwire_redis_rtt_seconds')).toBeGreaterThan(0);

    workers = spawnEntry('workers/index.ts', {
      NODE_ENV: 'test',
      HOST: '127.0.0.1',
      REDIS_URL: testRedisUrl(),
      KEY_PREFIX: server.deps.config.keyPrefix,
      ADMIN_TOKEN: admin(),
      WORKER_METRICS_PORT: workersUrl.split(':')[2]!,
    });
    const settled = await waitFor(
      () =>
        scrape(workersUrl, admin()).then(
          (r) => r.text,
          () => '',
        ),
      (t) =>
        sample(t, 'giftwire_settlement_lag_seconds_count') === accepted && sample(t, 'giftwire_outbox_depth') === 0,
      20_000,
      200,
    ).catch((err) => {
      throw new Error(`${err}\n${workers?.output()}`);
    });
    expect(families(settled)).toEqual(expect.arrayContaining(WORKER_METRICS));
    expect(sample(settled, 'giftwire_settlement_gifts_total', { outcome: 'settled' })).toBe(accepted);
    expect(sample(settled, 'giftwire_settlement_lag_seconds_sum')).toBeGreaterThan(0);
    expect(sample(settled, 'giftwire_queue_jobs', { queue: 'payouts', state: 'failed' })).toBe(0);
    expect(sample(settled, 'giftwire_ready', { service: 'giftwire-workers' })).toBe(1);
    expect((await scrape(workersUrl)).status).toBe(401);
  });
});
