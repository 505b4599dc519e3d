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
