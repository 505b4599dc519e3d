import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { testConfig } from '../../../shared/config';
import type { Battle } from '../../../shared/contracts/models';
import {
  connectSocket,
  emitAck,
  testRedisUrl,
  uniquePrefix,
  waitFor,
  type TestSocket,
} from '../../../shared/testing/harness';
import { callJson, killAllEntries, startServerProcess, type ServerProcess } from '../../../shared/testing/processes';
import { recharge } from '../gifting/fixtures';

/**
 * Redis is the clock of record: two server processes whose clocks disagree by a day (one runs under libfaketime, from
 * Debian's `faketime` package, as the `faketime` command runs a program) still agree on battle windows and on what
 * "today" means for the daily spend limit, because every script reads Redis TIME.
 */
/** What `faketime` itself sets: the library preloaded, the offset in FAKETIME; monotonic timers left alone. */
function faketimeEnv(offset: string): Record<string, string> {
  const lib = execFileSync('dpkg', ['-L', 'libfaketime'], { encoding: 'utf8' })
    .split('\n')
    .find((f) => f.endsWith('/libfaketime.so.1'));
  if (!lib) throw new Error('libfaketime is not installed (apt-get install -y faketime)');
  return { LD_PRELOAD: lib, FAKETIME: offset, FAKETIME_DONT_FAKE_MONOTONIC: '1' };
}

describe('two server processes whose clocks differ by a day', () => {
  const prefix = uniquePrefix();
  let honest: ServerProcess;
  let ahead: ServerProcess;
  const sockets: TestSocket[] = [];

  beforeAll(async () => {
    const env = { REDIS_URL: testRedisUrl(), KEY_PREFIX: prefix };
    [honest, ahead] = await Promise.all([
      startServerProcess(env),
      startServerProcess({ ...env, ...faketimeEnv('+1d') }),
    ]);
  }, 30_000);

  afterAll(async () => {
    for (const s of sockets) s.disconnect();
    await killAllEntries();
  });

  const admin = testConfig().adminToken;
  const person = async (server: ServerProcess, displayName: string) =>
    (
      await callJson(
        `${server.url}/v1/admin/users`,
        'POST',
        { displayName, birthDate: '1990-01-01', verified: true },
        admin,
      )
    ).body as { user: { id: string }; token: string };
  const issuedAt = (token: string) =>
    (JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as { iat: number }).iat * 1000;
  const sendVia = async (server: ServerProcess, token: string, streamId: string, count: number) => {
    const socket = await connectSocket(server.url, { token });
    sockets.push(socket);
    return emitAck(socket, 'gift:send', { streamId, giftId: 'rose', count, idempotencyKey: randomUUID() });
  };

  it('one of them really runs a day ahead', async () => {
    const now = Date.now();
    expect(Math.abs(issuedAt((await person(honest, 'Honest')).token) - now)).toBeLessThan(60_000);
    expect(Math.abs(issuedAt((await person(ahead, 'Ahead')).token) - (now + 86_400_000))).toBeLessThan(60_000);
  });

  it('a battle accepted through the server a day ahead scores gifts sent through either server', async () => {
    const a = await person(honest, 'Creator A');
    const b = await person(honest, 'Creator B');
    const fan = await person(honest, 'Fan');
    await recharge(honest.url, fan.token, 100);
    const live = async (c: { token: string }) =>
      (await callJson(`${honest.url}/v1/streams`, 'POST', { title: 'clocks' }, c.token)).body.stream.id as string;
    const [aStream, bStream] = [await live(a), await live(b)];
    const invited = await callJson(
      `${honest.url}/v1/battles`,
      'POST',
      { streamId: aStream, opponentStreamId: bStream, durationSec: 60 },
      a.token,
    );
    expect(invited.status).toBe(201);
    const id = invited.body.battle.id as string;
    // accepted through the server whose clock reads tomorrow: the window still starts now, by Redis's clock
    const accepted = await callJson(`${ahead.url}/v1/battles/${id}/accept`, 'POST', {}, b.token);
    expect(accepted.status).toBe(200);
    const battle = accepted.body.battle as Battle;
    expect(Math.abs(battle.startedAt! - Date.now())).toBeLessThan(60_000);

    expect(await sendVia(ahead, fan.token, aStream, 3)).toMatchObject({ ok: true });
    expect(await sendVia(honest, fan.token, bStream, 2)).toMatchObject({ ok: true });
    const read = await waitFor(
      async () => (await callJson(`${ahead.url}/v1/battles/${id}`, 'GET')).body.battle as Battle,
      (x) => x.sides[0]!.score === 3 && x.sides[1]!.score === 2,
    );
    expect(read.status).toBe('active');
  });

  it('the daily limit counts one day for both: the server a day ahead does not start a new one', async () => {
    const creator = await person(honest, 'Creator');
    const fan = await person(honest, 'Limited fan');
    await recharge(honest.url, fan.token, 100);
    expect(
      (await callJson(`${honest.url}/v1/wallet/limits`, 'PATCH', { dailySpendLimitCoins: 10 }, fan.token)).status,
    ).toBe(200);
    const streamId = (await callJson(`${honest.url}/v1/streams`, 'POST', { title: 'limits' }, creator.token)).body
      .stream.id as string;

    expect(await sendVia(honest, fan.token, streamId, 8)).toMatchObject({ ok: true });
    const refused = await sendVia(ahead, fan.token, streamId, 5);
    expect(refused).toMatchObject({ ok: false, error: { code: 'SPEND_LIMIT_EXCEEDED' } });
    expect(await sendVia(ahead, fan.token, streamId, 2)).toMatchObject({ ok: true });
    expect(await sendVia(honest, fan.token, streamId, 1)).toMatchObject({
      ok: false,
      error: { code: 'SPEND_LIMIT_EXCEEDED' },
    });
    for (const server of [honest, ahead]) {
      expect((await callJson(`${server.url}/v1/wallet`, 'GET', undefined, fan.token)).body).toMatchObject({
        coins: 90,
        heldCoins: 10,
        spentTodayCoins: 10,
        dailySpendLimitCoins: 10,
      });
    }
  });
});
