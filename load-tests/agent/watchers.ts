import type { GiftsFrame } from '../../shared/contracts/socket';
import type { WatcherSpec } from '../lib/protocol';
import type { Meter } from './meter';
import { WireSocket } from './wire-socket';

/**
 * Anonymous watchers: connect, join their room, and measure what reaches them. Counting watchers only look at
 * a frame's first bytes; parsing watchers decode every frame and time each item from its `at`.
 */
export class Watchers {
  private readonly sockets: WireSocket[] = [];
  readonly errors: string[] = [];
  failed = 0;

  constructor(
    private readonly url: string,
    private readonly specs: WatcherSpec[],
    private readonly meter: Meter,
  ) {}

  get connected(): number {
    let n = 0;
    for (const s of this.sockets) if (s.connected) n++;
    return n;
  }

  /** Connects every watcher at `perSecond`, a few at a time; resolves when all have joined (or failed). */
  async connectAll(perSecond: number): Promise<void> {
    const started = Date.now();
    const inFlight = new Set<Promise<void>>();
    for (let i = 0; i < this.specs.length; i++) {
      const dueMs = (i / perSecond) * 1000;
      const wait = started + dueMs - Date.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      const p = this.connectOne(this.specs[i]!).finally(() => inFlight.delete(p));
      inFlight.add(p);
      if (inFlight.size >= 200) await Promise.race(inFlight);
    }
    await Promise.all(inFlight);
  }

  private async connectOne(spec: WatcherSpec): Promise<void> {
    const meter = this.meter;
    const socket = new WireSocket(this.url, undefined, {
      onBytes: (n) => {
        meter.now().bytes += n;
      },
      onGifts: spec.parse
        ? (_raw, parse) => {
            const now = Date.now();
            const b = meter.now(now);
            b.frames++;
            b.parsedFrames++;
            const frame = parse() as GiftsFrame | undefined;
            if (!frame) return;
            for (const item of frame.items) b.screenMs.push(now - item.at, meter.secondOf(item.at));
            b.items += frame.items.length;
            if (frame.rest) b.restGifts += frame.rest.gifts;
          }
        : () => {
            meter.now().frames++;
          },
      onClose: () => {
        meter.now().disconnects++;
      },
    });
    try {
      await socket.connect();
      const res = await socket.emitWithAck<{ ok: boolean; error?: { code: string } }>('stream:join', {
        streamId: spec.streamId,
      });
      if (!res?.ok) throw new Error(`stream:join refused: ${res?.error?.code ?? 'no answer'}`);
      this.sockets.push(socket);
    } catch (err) {
      this.failed++;
      if (this.errors.length < 5) this.errors.push(`watcher: ${(err as Error).message}`);
      socket.close();
    }
  }

  closeAll(): void {
    for (const s of this.sockets) s.close();
  }
}
