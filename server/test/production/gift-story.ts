import { randomUUID } from 'node:crypto';
import { io as ioClient } from 'socket.io-client';
import type { GiftsFrame } from '../../../shared/contracts/socket';
import { connectSocket, emitAck, waitFor, type TestSocket } from '../../../shared/testing/harness';
import { recharge, send } from '../gifting/fixtures';

/** One gift end to end against a running Giftwire (any process layout), through its public API only. */

export async function api<T = any>(
  url: string,
  method: string,
  path: string,
  body?: unknown,
  token?: string,
): Promise<{ status: number; body: T }> {
  const res = await fetch(url + path, {
    method,
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(method === 'POST' ? { 'idempotency-key': randomUUID() } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
}

async function adult(url: string, adminToken: string, displayName: string) {
  const res = await api(
    url,
    'POST',
    '/v1/admin/users',
    { displayName, birthDate: '1990-01-01', verified: true },
    adminToken,
  );
  if (res.status !== 201) throw new Error(`create user: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { user: { id: string }; token: string };
}

export interface GiftStory {
  streamId: string;
  fanToken: string;
  /** What the watcher received. */
  frames: GiftsFrame[];
  giftId: string;
  sockets: TestSocket[];
}

/**
 * A creator goes live, a watcher joins (on `watcherUrl`, over `transport`), a fan buys coins and sends a rose
 * (through `senderUrl`); resolves once the watcher has seen that very gift.
 */
export async function giftEndToEnd(
  url: string,
  adminToken: string,
  opts: {
    transport?: 'websocket' | 'polling';
    beforeSend?: (sockets: TestSocket[], streamId: string) => Promise<void>;
  } = {},
): Promise<GiftStory> {
  const creator = await adult(url, adminToken, 'Creator');
  const fan = await adult(url, adminToken, 'Fan');
  await recharge(url, fan.token, 10);
  const live = await api(url, 'POST', '/v1/streams', { title: 'production' }, creator.token);
  if (live.status !== 201) throw new Error(`go live: ${live.status} ${JSON.stringify(live.body)}`);
  const streamId = live.body.stream.id as string;

  const watcher: TestSocket =
    opts.transport === 'polling'
      ? await new Promise((resolve, reject) => {
          const s: TestSocket = ioClient(url, { transports: ['polling'], reconnection: false, forceNew: true });
          s.once('connect', () => resolve(s));
          s.once('connect_error', reject);
        })
      : await connectSocket(url);
  const frames: GiftsFrame[] = [];
  watcher.on('gifts', (f) => frames.push(f));
  const joined = await emitAck(watcher, 'stream:join', { streamId });
  if (!joined.ok) throw new Error(`join: ${JSON.stringify(joined)}`);
  const sender = await connectSocket(url, { token: fan.token });
  const sockets = [watcher, sender];
  await opts.beforeSend?.(sockets, streamId);

  const ack = await send(sender, streamId, 'rose', 1);
  if (!ack.ok) throw new Error(`gift:send: ${JSON.stringify(ack)}`);
  await waitFor(
    () => frames.flatMap((f) => f.items.map((i) => i.id)),
    (ids) => ids.includes(ack.gift.id),
  );
  return { streamId, fanToken: fan.token, frames, giftId: ack.gift.id, sockets };
}

/** Resolves once the workers have settled every gift of the fan (nothing held any more). */
export function settled(url: string, fanToken: string): Promise<unknown> {
  return waitFor(
    () => api(url, 'GET', '/v1/wallet', undefined, fanToken).then((r) => r.body),
    (w: any) => w.heldCoins === 0 && w.coins === 9,
    20_000,
    100,
  );
}
