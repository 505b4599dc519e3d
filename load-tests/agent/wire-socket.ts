import WebSocket from 'ws';

/**
 * A lean Socket.IO v4 client (Engine.IO 4 over a WebSocket, the main namespace) for the bulk of the load:
 * thousands of watchers and hundreds of senders in a couple of processes. It speaks the same wire protocol as
 * socket.io-client (the server cannot tell them apart) but lets a watcher count a `gifts` frame from its first
 * bytes without decoding it, so the generator's CPU goes into load, not into parsing what it only counts.
 * The creators' sockets use the real socket.io-client.
 *
 * Wire format: Engine.IO packet type as the first character (0 open, 1 close, 2 ping, 3 pong, 4 message);
 * a message carries a Socket.IO packet (0 connect, 1 disconnect, 2 event, 3 ack, 4 connect error),
 * then an optional ack id, then JSON: `42["gifts",{...}]`, `421["stream:join",{...}]`, `431[{...}]`.
 */

const GIFTS_PREFIX = Buffer.from('42["gifts",');

export interface WireHandlers {
  /** Every packet's size in bytes (the server's frames, pings, acks). */
  onBytes?(n: number): void;
  /** A `gifts` frame; `raw` is the whole packet, `parse()` decodes its payload. */
  onGifts?(raw: Buffer, parse: () => unknown): void;
  /** Any other event. */
  onEvent?(name: string, payload: unknown): void;
  onClose?(reason: string): void;
}

type AckCallback = (payload: unknown) => void;

export class WireSocket {
  private ws: WebSocket | undefined;
  private nextAckId = 0;
  private readonly acks = new Map<number, AckCallback>();
  connected = false;

  constructor(
    private readonly baseUrl: string,
    private readonly auth: Record<string, string> | undefined,
    private readonly handlers: WireHandlers = {},
  ) {}

  /** Opens the WebSocket and connects to the main namespace; rejects on a refused handshake (e.g. UNAUTHORIZED). */
  connect(timeoutMs = 10_000): Promise<void> {
    const url = `${this.baseUrl.replace(/^http/, 'ws')}/socket.io/?EIO=4&transport=websocket`;
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, { perMessageDeflate: false, skipUTF8Validation: true });
      this.ws = ws;
      let settled = false;
      const done = (err?: Error) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (err) {
          ws.terminate();
          reject(err);
        } else resolve();
      };
      const timer = setTimeout(() => done(new Error('connect timeout')), timeoutMs);
      ws.on('error', (err) => done(err));
      ws.on('close', () => {
        const was = this.connected;
        this.connected = false;
        done(new Error('closed during connect'));
        if (was) this.handlers.onClose?.('transport close');
      });
      ws.on('message', (data: Buffer) => {
        this.handlers.onBytes?.(data.length);
        const engineType = data[0];
        if (engineType === 0x32 /* 2 ping */) return ws.send('3');
        if (engineType === 0x30 /* 0 open */) {
          return ws.send(this.auth ? `40${JSON.stringify(this.auth)}` : '40');
        }
        if (engineType !== 0x34 /* 4 message */) return;
        const ioType = data[1];
        if (ioType === 0x32 /* 2 event */) return this.onEventPacket(data);
        if (ioType === 0x33 /* 3 ack */) return this.onAckPacket(data);
        if (ioType === 0x30 /* 0 connect */) {
          this.connected = true;
          return done();
        }
        if (ioType === 0x34 /* 4 connect error */) {
          const body = safeJson(data.toString('utf8', 2)) as { message?: string } | undefined;
          return done(new Error(body?.message ?? 'connect_error'));
        }
        if (ioType === 0x31 /* 1 disconnect */) ws.close();
      });
    });
  }

  private onEventPacket(data: Buffer): void {
    if (
      data.length > GIFTS_PREFIX.length &&
      data.compare(GIFTS_PREFIX, 0, GIFTS_PREFIX.length, 0, GIFTS_PREFIX.length) === 0
    ) {
      this.handlers.onGifts?.(data, () => (safeJson(data.toString('utf8', 2)) as [string, unknown])[1]);
      return;
    }
    if (!this.handlers.onEvent) return;
    const arr = safeJson(data.toString('utf8', 2)) as [string, unknown] | undefined;
    if (arr) this.handlers.onEvent(arr[0], arr[1]);
  }

  private onAckPacket(data: Buffer): void {
    let i = 2;
    let id = 0;
    while (i < data.length && data[i]! >= 0x30 && data[i]! <= 0x39) id = id * 10 + (data[i++]! - 0x30);
    const cb = this.acks.get(id);
    if (!cb) return;
    this.acks.delete(id);
    const args = safeJson(data.toString('utf8', i)) as unknown[] | undefined;
    cb(args?.[0]);
  }

  /** Emits an event with an acknowledgement; the callback is never called if the connection drops first. */
  emit(event: string, payload: unknown, ack: AckCallback): boolean {
    if (!this.connected || !this.ws) return false;
    const id = this.nextAckId++;
    this.acks.set(id, ack);
    this.ws.send(`42${id}${JSON.stringify([event, payload])}`);
    return true;
  }

  emitWithAck<T = unknown>(event: string, payload: unknown, timeoutMs = 10_000): Promise<T> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`${event}: no acknowledgement within ${timeoutMs} ms`)),
        timeoutMs,
      );
      const sent = this.emit(event, payload, (res) => {
        clearTimeout(timer);
        resolve(res as T);
      });
      if (!sent) {
        clearTimeout(timer);
        reject(new Error(`${event}: not connected`));
      }
    });
  }

  /** Acknowledgements still awaited (their callbacks will never run once closed). */
  get pendingAcks(): number {
    return this.acks.size;
  }

  close(): void {
    this.connected = false;
    this.ws?.terminate();
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
