import { randomUUID } from 'node:crypto';
import type { GiftSendAck, GiftsFrame } from '../../../shared/contracts/socket';
import type { User } from '../../../shared/contracts/users';
import { emitAck, type TestSocket } from '../../../shared/testing/harness';
import { fundViewer } from '../../../shared/testing/money';
import { type TestServer } from '../support/test-server';

/** Socket-level fixtures for gifting stories: live streams, funded fans, sends, and frame recorders. */

export interface Person {
  user: User;
  token: string;
}

export async function liveStream(s: TestServer, title = 'tonight'): Promise<{ creator: Person; streamId: string }> {
  const creator = await s.createUser();
  const res = await s.request('POST', '/v1/streams', { token: creator.token, body: { title } });
  if (res.status !== 201) throw new Error(`go live failed: ${res.status} ${JSON.stringify(res.body)}`);
  return { creator, streamId: res.body.stream.id };
}

/** Buys `coins` coins through the recharge API (sandbox provider): for a server in another process. */
export async function recharge(baseUrl: string, token: string, coins: number): Promise<void> {
  const res = await fetch(`${baseUrl}/v1/wallet/recharges`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'idempotency-key': randomUUID() },
    body: JSON.stringify({ coins, payment: { token: 'tok_ok' } }),
  });
  if (res.status !== 201) throw new Error(`recharge failed: ${res.status} ${await res.text()}`);
}

/** An adult fan who bought `coins` coins (shared/testing/money.ts), with a connected socket. */
export async function fan(
  s: TestServer,
  coins: number,
  input: Parameters<TestServer['createUser']>[0] = {},
): Promise<Person & { socket: TestSocket }> {
  const person = await s.createUser(input);
  await fundViewer(s.deps, person.user, coins);
  return { ...person, socket: await s.connect({ token: person.token }) };
}

export type SendAck = ({ ok: true } & GiftSendAck) | { ok: false; error: { code: string; message: string } };

export function send(
  socket: TestSocket,
  streamId: string,
  giftId: string,
  count?: number,
  idempotencyKey: string = randomUUID(),
): Promise<SendAck> {
  // a generous timeout: a burst of thousands on a busy 2-core machine may queue acks for seconds
  return emitAck<SendAck>(
    socket,
    'gift:send',
    { streamId, giftId, ...(count === undefined ? {} : { count }), idempotencyKey },
    25_000,
  );
}

/** Joins the stream and records every `gifts` frame the socket receives. */
export async function recordFrames(socket: TestSocket, streamId: string): Promise<GiftsFrame[]> {
  const frames: GiftsFrame[] = [];
  socket.on('gifts', (f) => frames.push(f));
  const ack = await emitAck(socket, 'stream:join', { streamId });
  if (!ack.ok) throw new Error(`join failed: ${JSON.stringify(ack)}`);
  return frames;
}

export const itemsOf = (frames: GiftsFrame[]) => frames.flatMap((f) => f.items);
