/**
 * Collects items and hands them over in batches: when `max` items are waiting, or `everyMs` after the first
 * item of a batch arrived, whichever comes first. `close()` flushes what is left and waits for every flush.
 * A failed flush is reported to `onError` and not retried here (the caller has a safety net: the sweeper).
 */
export class Batcher<T> {
  private items: T[] = [];
  private timer: NodeJS.Timeout | undefined;
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    private readonly opts: {
      max: number;
      everyMs: number;
      flush: (items: T[]) => Promise<void>;
      onError: (err: unknown, items: T[]) => void;
    },
  ) {}

  add(item: T): void {
    this.items.push(item);
    if (this.items.length >= this.opts.max) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), this.opts.everyMs);
  }

  /** Hands over what is waiting now. */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.items.length === 0) return;
    const batch = this.items;
    this.items = [];
    const p = this.opts
      .flush(batch)
      .catch((err) => this.opts.onError(err, batch))
      .finally(() => this.inFlight.delete(p));
    this.inFlight.add(p);
  }

  async close(): Promise<void> {
    this.flush();
    await Promise.all([...this.inFlight]);
  }
}

interface Waiting<T, R> {
  item: T;
  resolve: (r: R) => void;
  reject: (err: unknown) => void;
}

/**
 * Micro-batching per Redis slot, each caller still getting its own answer: `run(slot, item)` resolves with the answer
 * `flush` gives for that item. One flush per slot is in flight at a time; items that arrive meanwhile wait for it and
 * go together in the next one (at most `max` a flush). So an idle slot adds no wait (its flush leaves on the next
 * turn of the event loop, with whatever arrived in the same turn), and a busy one waits one round trip at most while
 * its batches grow with the load. A failed flush fails each of its items.
 */
export class SlotBatcher<T, R> {
  private readonly waiting = new Map<string, Waiting<T, R>[]>();
  private readonly busy = new Set<string>();

  constructor(
    private readonly opts: {
      max: number;
      /** One answer per item, in the items' order. */
      flush: (slot: string, items: T[]) => Promise<R[]>;
    },
  ) {}

  run(slot: string, item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      const queue = this.waiting.get(slot);
      if (queue) queue.push({ item, resolve, reject });
      else this.waiting.set(slot, [{ item, resolve, reject }]);
      if (!this.busy.has(slot)) {
        this.busy.add(slot);
        setImmediate(() => this.flush(slot));
      }
    });
  }

  private flush(slot: string): void {
    const queue = this.waiting.get(slot);
    if (!queue) {
      this.busy.delete(slot);
      return;
    }
    const batch = queue.splice(0, this.opts.max);
    if (queue.length === 0) this.waiting.delete(slot);
    let answers: Promise<R[]>;
    try {
      answers = this.opts.flush(
        slot,
        batch.map((w) => w.item),
      );
    } catch (err) {
      answers = Promise.reject(err);
    }
    answers
      .then((rs) => {
        if (rs.length !== batch.length) throw new Error(`a batch of ${batch.length} got ${rs.length} answers`);
        batch.forEach((w, i) => w.resolve(rs[i]!));
      })
      .catch((err: unknown) => batch.forEach((w) => w.reject(err)))
      .finally(() => this.flush(slot));
  }
}
