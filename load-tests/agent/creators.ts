import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '../../shared/contracts/socket';
import type { CreatorFinal, CreatorSpec } from '../lib/protocol';
import type { Meter } from './meter';

/**
 * The creators' own sockets, on the reference client (socket.io-client). The contract says a creator's socket
 * receives every gift as its own item, unfolded: each id seen is counted, so the run can prove that every
 * acknowledged gift reached its creator exactly once.
 */
export class Creators {
  private readonly sockets: Socket<ServerToClientEvents, ClientToServerEvents>[] = [];
  private readonly seen: Record<string, Map<string, number>> = {};
  private readonly events: Record<string, number> = {};
  readonly errors: string[] = [];
  failed = 0;

  constructor(
    private readonly url: string,
    private readonly specs: CreatorSpec[],
    private readonly meter: Meter,
  ) {}

  async connectAll(): Promise<void> {
    await Promise.all(this.specs.map((spec) => this.connectOne(spec)));
  }

  private async connectOne(spec: CreatorSpec): Promise<void> {
    const seen = (this.seen[spec.streamId] ??= new Map());
    const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io(this.url, {
      auth: { token: spec.token },
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
    });
    socket.on('gifts', (frame) => {
      if (frame.streamId !== spec.streamId) return;
      const now = Date.now();
      const bucket = this.meter.now(now);
      for (const item of frame.items) {
        seen.set(item.id, (seen.get(item.id) ?? 0) + 1);
        bucket.creatorScreenMs.push(now - item.at, this.meter.secondOf(item.at));
      }
      // A creator must never receive a folded remainder: count it so the run reports it.
      if (frame.rest) this.count('gifts.rest');
    });
    socket.onAny((event: string) => {
      if (event !== 'gifts') this.count(event);
    });
    socket.on('disconnect', () => {
      this.meter.now().disconnects++;
      this.count('disconnect');
    });
    try {
      await new Promise<void>((resolve, reject) => {
        socket.once('connect', resolve);
        socket.once('connect_error', reject);
      });
      const res = await socket.timeout(10_000).emitWithAck('stream:join', { streamId: spec.streamId });
      if (!res.ok) throw new Error(`stream:join refused: ${res.error.code}`);
      this.sockets.push(socket);
    } catch (err) {
      this.failed++;
      if (this.errors.length < 5) this.errors.push(`creator: ${(err as Error).message}`);
      socket.disconnect();
    }
  }

  private count(event: string): void {
    this.events[event] = (this.events[event] ?? 0) + 1;
  }

  get connected(): number {
    return this.sockets.filter((s) => s.connected).length;
  }

  /**
   * Waits until each stream's creator socket has seen `expected[streamId]` distinct gifts, or until nothing new
   * arrived for `quietMs`: a busy server may still be flushing frames when the last acknowledgement is in.
   */
  async drain(expected: Record<string, number>, quietMs: number, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    const seenTotal = () => Object.values(this.seen).reduce((n, m) => n + m.size, 0);
    let last = seenTotal();
    let lastChange = Date.now();
    for (;;) {
      const behind = Object.entries(this.seen).some(([streamId, m]) => m.size < (expected[streamId] ?? 0));
      if (!behind || Date.now() > deadline || Date.now() - lastChange > quietMs) return;
      await new Promise((r) => setTimeout(r, 50));
      const now = seenTotal();
      if (now !== last) {
        last = now;
        lastChange = Date.now();
      }
    }
  }

  final(): CreatorFinal {
    const creatorSeen: CreatorFinal['creatorSeen'] = {};
    for (const [streamId, m] of Object.entries(this.seen)) {
      creatorSeen[streamId] = { ids: [...m.keys()], counts: Uint32Array.from(m.values()) };
    }
    return { creatorSeen, creatorEvents: this.events };
  }

  closeAll(): void {
    for (const s of this.sockets) s.disconnect();
  }
}
