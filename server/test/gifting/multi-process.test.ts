import { testConfig } from '../../../shared/config';
import { callJson, killAllEntries, startServerProcess, type ServerProcess } from '../../../shared/testing/processes';
import {
  connectSocket,
  emitAck,
  testRedisUrl,
  uniquePrefix,
  waitFor,
  type TestSocket,
} from '../../../shared/testing/harness';
import type { GiftsFrame } from '../../../shared/contracts/socket';
import { recharge, send } from './fixtures';

describe('two server processes share rooms through Redis', () => {
  const prefix = uniquePrefix();
  let a: ServerProcess;
  let b: ServerProcess;
  const sockets: TestSocket[] = [];

  beforeAll(async () => {
    const env = { REDIS_URL: testRedisUrl(), KEY_PREFIX: prefix };
    [a, b] = await Promise.all([startServerProcess(env), startServerProcess(env)]);
  }, 30_000);

  afterAll(async () => {
    for (const s of sockets) s.disconnect();
    await killAllEntries();
  });

  it('a gift sent through one process reaches a watcher connected to the other, with counts and leaderboard', async () => {
    const admin = testConfig().adminToken;
    const creator = (
      await callJson(
        `${a.url}/v1/admin/users`,
        'POST',
        { displayName: 'Creator', birthDate: '1990-01-01', verified: true },
        admin,
      )
    ).body;
    const sender = (
      await callJson(`${a.url}/v1/admin/users`, 'POST', { displayName: 'Fan', birthDate: '1990-01-01' }, admin)
    ).body;
    await recharge(b.url, sender.token, 100);
    const streamId = (await callJson(`${a.url}/v1/streams`, 'POST', { title: 'two processes' }, creator.token)).body
      .stream.id;

    const watcher = await connectSocket(b.url);
    sockets.push(watcher);
    const frames: GiftsFrame[] = [];
    const boards: unknown[] = [];
    watcher.on('gifts', (f) => frames.push(f));
    watcher.on('leaderboard', (l) => boards.push(l));
    expect(await emitAck(watcher, 'stream:join', { streamId })).toMatchObject({ ok: true, viewers: 1 });
    // the process that holds no socket of the room still counts the watcher on the other one
    expect((await callJson(`${a.url}/v1/streams/${streamId}`, 'GET')).body.viewers).toBe(1);

    const fanSocket = await connectSocket(a.url, { token: sender.token });
    sockets.push(fanSocket);
    const ack = await send(fanSocket, streamId, 'perfume', 2);
    if (!ack.ok) throw new Error(JSON.stringify(ack));
    await waitFor(
      () => frames.length,
      (n) => n === 1,
    );
    expect(frames[0]).toEqual({ streamId, items: [ack.gift] });
    await waitFor(
      () => boards.length,
      (n) => n >= 1,
    );
    expect(boards[0]).toEqual({
      streamId,
      items: [{ rank: 1, userId: sender.user.id, displayName: 'Fan', coins: 40 }],
    });
  });
});
