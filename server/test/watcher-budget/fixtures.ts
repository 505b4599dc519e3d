import type { Socket as NetSocket } from 'node:net';
import type { GiftEvent } from '../../../shared/contracts/models';
import type { GiftsFrame } from '../../../shared/contracts/socket';
import { io as ioClient } from 'socket.io-client';
import { emitAck, type TestSocket } from '../../../shared/testing/harness';
import type { SendAck } from '../gifting/fixtures';
import type { TestServer } from '../support/test-server';
import { send } from '../gifting/fixtures';

/** A `gifts` frame and when this client read it. */
export interface TimedFrame {
  at: number;
  frame: GiftsFrame;
}

/** Joins the stream and records every `gifts` frame with the time it was read. */
export async function recordTimedFrames(socket: TestSocket, streamId: string): Promise<TimedFrame[]> {
  const frames: TimedFrame[] = [];
  socket.on('gifts', (frame) => frames.push({ at: Date.now(), frame }));
  const ack = await emitAck(socket, 'stream:join', { streamId });
  if (!ack.ok) throw new Error(`join failed: ${JSON.stringify(ack)}`);
  return frames;
}

/** The most frames read within any `windowMs` (a sliding window over the read times). */
export const mostFramesWithin = (frames: TimedFrame[], windowMs: number) =>
  mostWithin(
    frames.map((f) => f.at),
    windowMs,
  );

/** Every coin a socket was shown: its items' totals plus every `rest`. */
export const coinsShown = (frames: TimedFrame[]) =>
  frames.reduce((n, { frame }) => n + frame.items.reduce((m, i) => m + i.totalCoins, 0) + (frame.rest?.coins ?? 0), 0);

/** Every gift unit a socket was shown, in items or in `rest`. */
export const unitsShown = (frames: TimedFrame[]) =>
  frames.reduce((n, { frame }) => n + frame.items.reduce((m, i) => m + i.count, 0) + (frame.rest?.gifts ?? 0), 0);

export const itemsOf = (frames: TimedFrame[]): GiftEvent[] => frames.flatMap(({ frame }) => frame.items);

/**
 * Offers `perSec` gifts a second for `durationMs`, round-robin over the senders' sockets, every 20 ms a slice, as
 * a gift war's senders do; resolves with every acknowledgement once all are in.
 */
export async function offerGifts(
  senders: TestSocket[],
  streamId: string,
  perSec: number,
  durationMs: number,
  giftOf: (i: number) => string = () => 'rose',
): Promise<SendAck[]> {
  const acks: Array<Promise<SendAck>> = [];
  const slices = Math.ceil(durationMs / 20);
  const perSlice = perSec / 50;
  let owed = 0;
  for (let slice = 0; slice < slices; slice++) {
    owed += perSlice;
    for (; owed >= 1; owed--) {
      const i = acks.length;
      acks.push(send(senders[i % senders.length]!, streamId, giftOf(i)));
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  return Promise.all(acks);
}

/** The accepted gifts of a batch of acknowledgements (a refusal fails the story: nothing here should be refused). */
export function acceptedGifts(acks: SendAck[]): GiftEvent[] {
  return acks.map((a) => {
    if (!a.ok) throw new Error(JSON.stringify(a));
    return a.gift;
  });
}

/**
 * The TCP socket under a socket.io-client's WebSocket: pausing it makes a client that stops reading (a frozen tab,
 * a phone in a tunnel), so what the server sends piles up in the kernel and then in the server process.
 */
export function tcpSocketOf(socket: TestSocket): NetSocket {
  const transport = socket.io.engine.transport as unknown as { ws?: { _socket?: NetSocket } };
  const tcp = transport.ws?._socket;
  if (!tcp) throw new Error('not a WebSocket client');
  return tcp;
}

/**
 * When the server wrote each `event` packet to this client's connection (engine.io's packetCreate, on the server's
 * own socket object): the server's side of the budget, free of the jitter of a client on a busy machine.
 */
export function recordServerWrites(io: TestServer['giftwire']['io'], client: TestSocket, event: string): number[] {
  const serverSocket = io.of('/').sockets.get(client.id ?? '');
  if (!serverSocket) throw new Error('no server socket for this client');
  const times: number[] = [];
  const prefix = `2["${event}",`;
  serverSocket.conn.on('packetCreate', (packet: { type: string; data?: unknown }) => {
    if (packet.type === 'message' && typeof packet.data === 'string' && packet.data.startsWith(prefix))
      times.push(performance.now());
  });
  return times;
}

/** The most of `times` (ms) within any `windowMs`. */
export function mostWithin(times: number[], windowMs: number): number {
  let most = 0;
  let first = 0;
  for (let last = 0; last < times.length; last++) {
    while (times[last]! - times[first]! >= windowMs) first++;
    most = Math.max(most, last - first + 1);
  }
  return most;
}

/**
 * A client on HTTP long-polling (engine.io's first transport, what a browser uses until it upgrades): the server
 * holds what it has not sent until the client's next poll, and the kernel holds nothing, so a client that stops
 * polling is a client that stops reading, with every byte in the server's buffers.
 */
export function connectPolling(url: string, auth: Record<string, unknown>): Promise<TestSocket> {
  return new Promise((resolve, reject) => {
    const socket: TestSocket = ioClient(url, {
      auth,
      transports: ['polling'],
      upgrade: false,
      // a client that stopped reading never hears its connection close: its timers must not keep the run alive
      autoUnref: true,
      reconnection: false,
      forceNew: true,
    });
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', (err) => {
      socket.disconnect();
      reject(err);
    });
  });
}

/** The polling client finishes the poll under way and sends no other: from now on it reads nothing. */
export function stopPolling(socket: TestSocket): Promise<void> {
  const transport = socket.io.engine.transport as unknown as { name: string; pause(onPause: () => void): void };
  if (transport.name !== 'polling') throw new Error('not a polling client');
  return new Promise((resolve) => transport.pause(resolve));
}

/** What a wire-level client read: Socket.io events and acknowledgements, decoded. */
export type WirePacket =
  { kind: 'event'; event: string; args: unknown[] } | { kind: 'ack'; id: number; args: unknown[] };

/**
 * A Socket.io client spoken at the wire (engine.io protocol 4 over HTTP long-polling), that reads only when told
 * to: between two reads the server holds what it has for it, exactly as for a client that stopped reading.
 */
export class WireClient {
  private constructor(
    private readonly endpoint: string,
    readonly sid: string,
  ) {}

  static async connect(url: string, auth: Record<string, unknown> = {}): Promise<WireClient> {
    const open = await (await fetch(`${url}/socket.io/?EIO=4&transport=polling`)).text();
    const { sid } = JSON.parse(open.slice(1)) as { sid: string };
    const client = new WireClient(`${url}/socket.io/?EIO=4&transport=polling&sid=${sid}`, sid);
    await client.write(`40${JSON.stringify(auth)}`);
    const first = await client.readRaw();
    if (!first.some((p) => p.startsWith('40'))) throw new Error(`no namespace connect: ${JSON.stringify(first)}`);
    return client;
  }

  /** Emits an event with acknowledgement id `ackId`. */
  emit(event: string, payload: unknown, ackId: number): Promise<void> {
    return this.write(`42${ackId}${JSON.stringify([event, payload])}`);
  }

  /**
   * One poll: whatever the server holds for this client (waits until it has something). With `waitMs`, a poll
   * still unanswered by then is abandoned and reads nothing (the server then closes this client).
   */
  async read(waitMs?: number): Promise<WirePacket[]> {
    const packets: WirePacket[] = [];
    let raws: string[];
    try {
      raws = await this.readRaw(waitMs === undefined ? undefined : AbortSignal.timeout(waitMs));
    } catch (err) {
      if (waitMs !== undefined && (err as Error).name === 'TimeoutError') return [];
      throw err;
    }
    for (const raw of raws) {
      if (raw === '2') await this.write('3'); // engine.io ping: pong
      const m = /^4([23])(\d*)(\[.*)$/s.exec(raw);
      if (!m) continue;
      const args = JSON.parse(m[3]!) as unknown[];
      if (m[1] === '2') packets.push({ kind: 'event', event: args[0] as string, args: args.slice(1) });
      else packets.push({ kind: 'ack', id: Number(m[2]), args });
    }
    return packets;
  }

  close(): Promise<void> {
    return this.write('1').catch(() => undefined);
  }

  private async readRaw(signal?: AbortSignal): Promise<string[]> {
    const res = await fetch(this.endpoint, signal ? { signal } : {});
    if (res.status !== 200) throw new Error(`poll answered ${res.status}`);
    return (await res.text()).split('\x1e');
  }

  private async write(payload: string): Promise<void> {
    const res = await fetch(this.endpoint, { method: 'POST', body: payload });
    if (res.status !== 200) throw new Error(`post answered ${res.status}`);
    await res.text();
  }
}
