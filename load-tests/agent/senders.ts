import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { GiftSendAck } from '../../shared/contracts/socket';
import type { ErrorBody } from '../../shared/contracts/errors';
import type { GiftChoice, SenderFinal, SenderSpec } from '../lib/protocol';
import { dueAt, prng, totalGifts, weightedPicker, type Schedule } from '../lib/schedule';
import type { Meter } from './meter';
import { WireSocket } from './wire-socket';

type SendAck = ({ ok: true } & GiftSendAck) | { ok: false; error: ErrorBody };

interface Pending {
  sender: number;
  payload: { streamId: string; giftId: string; count: number; idempotencyKey: string };
}

/**
 * The senders of one agent and their clock. Gift k is due `dueAt(k)` seconds after t0; every tick sends all
 * gifts due by now, round-robin over the senders, each with a fresh idempotency key. A gift sent more than
 * `lateMs` after its due time counts as late, and its ack latency is also measured from the due time.
 */
export class Senders {
  private readonly sockets: WireSocket[] = [];
  private readonly pick: () => GiftChoice;
  private readonly total: number;
  private next = 0;
  private rr = 0;
  private t0Perf = 0;
  private timer: NodeJS.Timeout | undefined;
  private readonly pending = new Map<string, Pending>();
  private readonly acked = {
    ids: [] as string[],
    streamIds: [] as string[],
    senderIndex: [] as number[],
    totalCoins: [] as number[],
    at: [] as number[],
  };
  readonly errors: string[] = [];
  failed = 0;
  private lost = 0;
  private answeredOnRepeat = 0;

  constructor(
    private readonly url: string,
    private readonly specs: SenderSpec[],
    private readonly schedule: Schedule,
    mix: GiftChoice[],
    seed: number,
    private readonly lateMs: number,
    private readonly meter: Meter,
  ) {
    this.pick = weightedPicker(mix, prng(seed));
    this.total = specs.length > 0 ? totalGifts(schedule) : 0;
  }

  get connected(): number {
    return this.sockets.filter((s) => s.connected).length;
  }

  get pendingAcks(): number {
    return this.pending.size;
  }

  async connectAll(): Promise<void> {
    await Promise.all(
      this.specs.map(async (spec, i) => {
        const socket = new WireSocket(
          this.url,
          { token: spec.token },
          { onClose: () => this.meter.now().disconnects++ },
        );
        this.sockets[i] = socket;
        try {
          await socket.connect();
        } catch (err) {
          this.failed++;
          if (this.errors.length < 5) this.errors.push(`sender: ${(err as Error).message}`);
        }
      }),
    );
  }

  /** Starts the clock: `t0` is the epoch ms of second 0, shared by every agent. */
  start(t0: number): void {
    this.t0Perf = performance.now() - (Date.now() - t0);
    this.tick();
  }

  private tick = (): void => {
    const elapsedMs = performance.now() - this.t0Perf;
    while (this.next < this.total) {
      const dueMs = dueAt(this.schedule, this.next) * 1000;
      if (dueMs > elapsedMs) break;
      this.send(dueMs, elapsedMs);
      this.next++;
    }
    if (this.next >= this.total) return;
    const wait = dueAt(this.schedule, this.next) * 1000 - (performance.now() - this.t0Perf);
    this.timer = setTimeout(this.tick, Math.max(1, Math.min(wait, 50)));
  };

  private send(dueMs: number, nowMs: number): void {
    const lateness = nowMs - dueMs;
    const bucket = this.meter.now();
    bucket.sent++;
    if (lateness > this.lateMs) bucket.late++;
    if (lateness > bucket.maxLateMs) bucket.maxLateMs = lateness;
    const i = this.rr++ % this.specs.length;
    const spec = this.specs[i]!;
    const gift = this.pick();
    const payload = { streamId: spec.streamId, giftId: gift.giftId, count: 1, idempotencyKey: randomUUID() };
    const sentAt = performance.now();
    const sentSec = this.meter.secondOf(Date.now());
    const dueAtPerf = this.t0Perf + dueMs;
    this.pending.set(payload.idempotencyKey, { sender: i, payload });
    const ok = this.sockets[i]!.emit('gift:send', payload, (res) => {
      if (!this.pending.delete(payload.idempotencyKey)) return;
      const now = performance.now();
      const b = this.meter.now();
      b.ackMs.push(now - sentAt, sentSec);
      b.ackFromDueMs.push(now - dueAtPerf, sentSec);
      this.record(i, res as SendAck | undefined);
    });
    if (!ok) {
      this.pending.delete(payload.idempotencyKey);
      bucket.reject('NOT_CONNECTED');
    }
  }

  private record(i: number, res: SendAck | undefined): void {
    const b = this.meter.now();
    if (!res) return b.reject('BAD_ACK');
    if (!res.ok) return b.reject(res.error?.code ?? 'UNKNOWN');
    b.acceptedCount++;
    const a = this.acked;
    a.ids.push(res.gift.id);
    a.streamIds.push(res.gift.streamId);
    a.senderIndex.push(this.specs[i]!.index);
    a.totalCoins.push(res.gift.totalCoins);
    a.at.push(res.gift.at);
  }

  /**
   * Stops the clock and waits for outstanding acknowledgements for as long as they keep coming (an overloaded
   * server may answer many seconds late), but no more than `quietMs` without a single one. Returns how many
   * sends are still unanswered.
   */
  async stop(quietMs: number): Promise<number> {
    clearTimeout(this.timer);
    await this.waitForAcks(quietMs);
    return this.pending.size;
  }

  /**
   * Sends every still-unanswered gift once more with the same idempotency key, as a real app would, on a fresh
   * connection when its socket is gone. The server answers a repeat with the first result, so a gift accepted
   * while its ack was lost (or stuck behind a backlog) is still accounted for, and a never-accepted one is sent.
   */
  async retryUnanswered(quietMs: number): Promise<void> {
    const fresh = new Map<number, Promise<WireSocket | null>>();
    const socketFor = (i: number): Promise<WireSocket | null> => {
      if (this.sockets[i]!.connected) return Promise.resolve(this.sockets[i]!);
      let p = fresh.get(i);
      if (!p) {
        const socket = new WireSocket(this.url, { token: this.specs[i]!.token });
        p = socket.connect().then(
          () => (this.sockets[i] = socket),
          () => null,
        );
        fresh.set(i, p);
      }
      return p;
    };
    await Promise.all(
      [...this.pending].map(async ([key, p]) => {
        const socket = await socketFor(p.sender);
        const sent = socket?.emit('gift:send', p.payload, (res) => {
          if (!this.pending.delete(key)) return;
          this.answeredOnRepeat++;
          this.record(p.sender, res as SendAck | undefined);
        });
        if (!sent) {
          // No connection at all: the gift's outcome stays unknown (reported, and checked by the creator socket).
          this.pending.delete(key);
          this.lost++;
        }
      }),
    );
    await this.waitForAcks(quietMs);
  }

  private async waitForAcks(quietMs: number, capMs = 600_000): Promise<void> {
    const cap = Date.now() + capMs;
    let last = this.pending.size;
    let lastChange = Date.now();
    while (this.pending.size > 0 && Date.now() - lastChange < quietMs && Date.now() < cap) {
      await new Promise((r) => setTimeout(r, 20));
      if (this.pending.size !== last) {
        last = this.pending.size;
        lastChange = Date.now();
      }
    }
  }

  final(): SenderFinal {
    const a = this.acked;
    return {
      acked: {
        ids: a.ids,
        streamIds: a.streamIds,
        senderIndex: Uint32Array.from(a.senderIndex),
        totalCoins: Float64Array.from(a.totalCoins),
        at: Float64Array.from(a.at),
      },
      unacked: this.pending.size + this.lost,
      answeredOnRepeat: this.answeredOnRepeat,
    };
  }

  closeAll(): void {
    clearTimeout(this.timer);
    for (const s of this.sockets) s?.close();
  }
}
