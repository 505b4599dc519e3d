import { testConfig } from '../../../shared/config';
import type { StreakEnded } from '../../../shared/contracts/models';
import { connectSocket, emitAck, testRedisUrl, uniquePrefix, type TestSocket } from '../../../shared/testing/harness';
import { callJson, killAllEntries, startServerProcess, type ServerProcess } from '../../../shared/testing/processes';
import { recharge, send } from '../gifting/fixtures';

/**
 * Two real server processes share a stream. Every process polls for due streaks, yet each streak's end is heard
 * once; and when the process that accepted a streak's gifts is killed (SIGKILL) before the streak's gap has passed,
 * the surviving process announces the end, still within a second of the gap.
 */
const GAP_MS = 1500;

describe('streak ends come from any server process, exactly once', () => {
  const prefix = uniquePrefix();
  const admin = testConfig().adminToken;
  let a: ServerProcess;
  let b: ServerProcess;
  const sockets: TestSocket[] = [];

  beforeAll(async () => {
    const env = { REDIS_URL: testRedisUrl(), KEY_PREFIX: prefix, STREAK_GAP_MS: String(GAP_MS) };
    [a, b] = await Promise.all([startServerProcess(env), startServerProcess(env)]);
  }, 40_000);

  afterAll(async () => {
    for (const s of sockets) s.disconnect();
    await killAllEntries();
  });

  const user = async (displayName: string) =>
    (await callJson(`${b.url}/v1/admin/users`, 'POST', { displayName, birthDate: '1990-01-01', verified: true }, admin))
      .body as { user: { id: string }; token: string };
  const socket = async (url: string, token?: string) => {
    const s = await connectSocket(url, token ? { token } : {});
    sockets.push(s);
    return s;
  };
  const watch = async (url: string, streamId: string) => {
    const s = await socket(url);
    const heard: Array<{ at: number; streak: StreakEnded }> = [];
    s.on('streak:ended', (streak) => heard.push({ at: Date.now(), streak }));
    expect(await emitAck(s, 'stream:join', { streamId })).toMatchObject({ ok: true });
    return heard;
  };
  const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

  it('with both processes up, a streak sent through one is heard once on each, though both poll', async () => {
    const creator = await user('Creator');
    const ann = await user('Ann');
    await recharge(b.url, ann.token, 100);
    const streamId = (await callJson(`${b.url}/v1/streams`, 'POST', { title: 'two' }, creator.token)).body.stream.id;
    const onA = await watch(a.url, streamId);
    const onB = await watch(b.url, streamId);

    const fan = await socket(a.url, ann.token);
    const acks = [await send(fan, streamId, 'rose'), await send(fan, streamId, 'rose', 2)];
    const last = acks[1]!;
    if (!last.ok) throw new Error(last.error.code);
    await pause(GAP_MS + 2000);
    for (const heard of [onA, onB]) {
      expect(heard.map((h) => h.streak)).toEqual([
        expect.objectContaining({ sender: { id: ann.user.id, displayName: 'Ann' }, combo: 3, lastAt: last.gift.at }),
      ]);
      expect(heard[0]!.at).toBeGreaterThanOrEqual(last.gift.at + GAP_MS);
      expect(heard[0]!.at).toBeLessThanOrEqual(last.gift.at + GAP_MS + 1000);
    }
  });

  it('when the accepting process is SIGKILLed mid-streak, the other one ends the streak on time', async () => {
    const creator = await user('Creator 2');
    const bob = await user('Bob');
    await recharge(b.url, bob.token, 100);
    const streamId = (await callJson(`${b.url}/v1/streams`, 'POST', { title: 'crash' }, creator.token)).body.stream.id;
    const onB = await watch(b.url, streamId);

    const fan = await socket(a.url, bob.token);
    const first = await send(fan, streamId, 'rose', 2);
    const last = await send(fan, streamId, 'rose', 3);
    if (!first.ok || !last.ok) throw new Error('refused');
    await a.kill(); // mid-streak: its gap has not passed yet
    expect(Date.now()).toBeLessThan(last.gift.at + GAP_MS);

    await pause(GAP_MS + 2000);
    expect(onB).toHaveLength(1);
    expect(onB[0]!.streak).toEqual({
      streamId,
      sender: { id: bob.user.id, displayName: 'Bob' },
      giftId: 'rose',
      giftName: 'Rose',
      combo: 5,
      totalCoins: 5,
      firstAt: first.gift.at,
      lastAt: last.gift.at,
    });
    expect(onB[0]!.at).toBeGreaterThanOrEqual(last.gift.at + GAP_MS);
    expect(onB[0]!.at).toBeLessThanOrEqual(last.gift.at + GAP_MS + 1000);
  });
});
