import { randomUUID } from 'node:crypto';
import { QUEUES, Queues } from '../../../shared/runtime/queues';
import { testDeps, waitFor } from '../../../shared/testing/harness';
import { killAllEntries, spawnEntry, startServerProcess, type EntryProcess } from '../../../shared/testing/processes';
import { startReceiver, type Receiver } from './receiver';

/**
 * Real server and worker processes (server/index.ts, workers/index.ts) are SIGKILLed while events are filed,
 * relayed and delivered, against a receiver that fails one request in three. Whatever dies where, every recharge
 * that succeeded reaches the receiver, signed, and every copy of one event carries the same id and body.
 */
describe('webhook deliveries survive SIGKILL of the server and worker processes', () => {
  let deps: ReturnType<typeof testDeps>;
  let receiver: Receiver;
  beforeAll(async () => {
    deps = testDeps();
    receiver = await startReceiver(Array.from({ length: 5000 }, (_, i) => (i % 3 === 0 ? 500 : 200)));
  });
  afterAll(async () => {
    await killAllEntries();
    await receiver.close();
    await deps.close();
  });

  const env = () => ({
    REDIS_URL: deps.config.redisUrl!,
    KEY_PREFIX: deps.config.keyPrefix,
    ADMIN_TOKEN: deps.config.adminToken,
    JWT_SECRET: deps.config.jwtSecret,
    NODE_ENV: 'test',
    WORKER_LOCK_MS: '1000',
    WORKER_CONCURRENCY: '2',
    SETTLE_STALE_MS: '600000',
    WEBHOOK_RELAY_EVERY_MS: '50',
    WEBHOOK_RETRY_BASE_MS: '100',
    WEBHOOK_ATTEMPTS: '12',
  });
  const call = async (base: string, method: string, path: string, token: string, body?: unknown) => {
    const res = await fetch(base + path, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
        'idempotency-key': randomUUID(),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json().catch(() => null)) as any };
  };

  it('every succeeded recharge is delivered, whoever was killed', async () => {
    let server: EntryProcess & { url: string } = await startServerProcess(env());
    const admin = deps.config.adminToken;
    const hook = await call(server.url, 'POST', '/v1/admin/webhooks', admin, {
      url: receiver.url,
      events: ['recharge.succeeded'],
    });
    expect(hook.status).toBe(201);
    receiver.setSecret(hook.body.webhook.secret);
    const buyers: Array<{ id: string; token: string }> = [];
    for (let i = 0; i < 4; i++) {
      const made = await call(server.url, 'POST', '/v1/admin/users', admin, {
        displayName: `buyer${i}`,
        birthDate: '1990-01-01',
      });
      buyers.push({ id: made.body.user.id, token: made.body.token });
    }
    const buy = (base: string, n: number) =>
      call(base, 'POST', '/v1/wallet/recharges', buyers[n % buyers.length]!.token, {
        coins: 1 + n,
        payment: { token: 'tok_ok' },
      });

    // the server dies in the middle of a wave of recharges: some recorded (with their events), some not
    const wave = Array.from({ length: 40 }, (_, n) => buy(server.url, n).catch(() => null));
    await new Promise((r) => setTimeout(r, 150 + Math.floor(Math.random() * 150)));
    await server.kill();
    await Promise.all(wave);
    server = await startServerProcess(env());
    for (let n = 40; n < 60; n++) expect((await buy(server.url, n)).status).toBe(201);
    await server.kill();

    // what succeeded is what the buyers' histories hold
    const succeeded = new Set<string>();
    for (const b of buyers) {
      for (const member of await deps.redis.zrange(deps.keys.txs(b.id), 0, -1)) {
        if (member.startsWith('recharge:')) succeeded.add(member.slice('recharge:'.length));
      }
    }
    expect(succeeded.size).toBeGreaterThanOrEqual(20);
    const deliveredRecharges = () =>
      new Set(receiver.got.filter((r) => r.answered === 200).map((r) => r.body.data.recharge.id as string));
    const allDelivered = () => [...succeeded].every((id) => deliveredRecharges().has(id));

    // workers die while relaying and delivering; fresh ones take over
    for (let round = 0; round < 3; round++) {
      const before = receiver.got.length;
      const worker = spawnEntry('workers/index.ts', env());
      await waitFor(
        () => receiver.got.length,
        (n) => n >= before + 4 || allDelivered() || worker.child.exitCode !== null,
        45_000,
        5,
      );
      await new Promise((r) => setTimeout(r, Math.floor(Math.random() * 40)));
      await worker.kill();
      expect({ signal: worker.child.signalCode, output: worker.output() }).toMatchObject({ signal: 'SIGKILL' });
    }

    const survivor = spawnEntry('workers/index.ts', env());
    // it has started (the webhooks worker is the last one a process opens) before it is asked to stop
    const queues = new Queues(deps);
    await waitFor(
      () => queues.get(QUEUES.webhooks).getWorkersCount(),
      (n) => n >= 1,
      45_000,
      50,
    );
    await queues.close();
    await waitFor(deliveredRecharges, (ids) => [...succeeded].every((id) => ids.has(id)), 60_000, 50);
    expect({ exit: await survivor.stop(), output: survivor.output() }).toMatchObject({ exit: 0 });

    expect([...deliveredRecharges()].sort()).toEqual([...succeeded].sort());
    expect(receiver.got.every((r) => r.verified)).toBe(true);
    // every copy of an event is the same bytes
    const bodies = new Map<string, string>();
    for (const r of receiver.got) {
      const id = String(r.headers['giftwire-event-id']);
      expect(r.raw).toBe(bodies.get(id) ?? r.raw);
      bodies.set(id, r.raw);
    }
    expect(bodies.size).toBe(succeeded.size);
  }, 240_000);
});
