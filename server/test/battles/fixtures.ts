import type { Battle } from '../../../shared/contracts/models';
import type { TestSocket } from '../../../shared/testing/harness';
import type { TestServer } from '../support/test-server';

/** A creator with a live stream. */
export async function liveCreator(s: TestServer, displayName?: string) {
  const { user, token } = await s.createUser(displayName ? { displayName } : {});
  const res = await s.request('POST', '/v1/streams', { token, body: { title: `${user.displayName} live` } });
  if (res.status !== 201) throw new Error(`go live failed: ${res.status} ${JSON.stringify(res.body)}`);
  return { user, token, streamId: res.body.stream.id as string };
}

export type Creator = Awaited<ReturnType<typeof liveCreator>>;

export async function invite(s: TestServer, a: Creator, b: Creator, durationSec = 60) {
  return s.request('POST', '/v1/battles', {
    token: a.token,
    body: { streamId: a.streamId, opponentStreamId: b.streamId, durationSec },
  });
}

/** A pending battle between two new live creators. */
export async function pendingBattle(s: TestServer, durationSec = 60) {
  const a = await liveCreator(s);
  const b = await liveCreator(s);
  const res = await invite(s, a, b, durationSec);
  if (res.status !== 201) throw new Error(`invite failed: ${res.status} ${JSON.stringify(res.body)}`);
  return { a, b, battle: res.body.battle as Battle };
}

/** An active battle between two new live creators. */
export async function activeBattle(s: TestServer, durationSec = 60) {
  const p = await pendingBattle(s, durationSec);
  const res = await s.request('POST', `/v1/battles/${p.battle.id}/accept`, { token: p.b.token });
  if (res.status !== 200) throw new Error(`accept failed: ${res.status} ${JSON.stringify(res.body)}`);
  return { ...p, battle: res.body.battle as Battle };
}

/** Everything a battle transition may write: to prove that a refused one wrote nothing. */
export async function snapshot(s: TestServer, battleId: string, streamIds: string[]) {
  const k = s.deps.keys;
  const r = s.deps.redis;
  return {
    battle: await r.hgetall(k.battle(battleId)),
    streams: await Promise.all(streamIds.map((id) => r.hgetall(k.stream(id)))),
    due: await r.zrange(k.battlesDue, 0, -1, 'WITHSCORES'),
  };
}

/** Records every battle event a socket receives, in order. */
export function recordBattleEvents(socket: TestSocket) {
  const events: Array<{ event: string; battle: Battle }> = [];
  for (const event of ['battle:invited', 'battle:started', 'battle:update', 'battle:ended'] as const) {
    socket.on(event, ({ battle }) => events.push({ event, battle }));
  }
  return events;
}

/** Puts a connected socket in a room from the server side (this server owns the socket, so it applies at once). */
export function joinRoom(s: TestServer, socket: TestSocket, room: string) {
  s.giftwire.io.local.in(socket.id!).socketsJoin(room);
}
