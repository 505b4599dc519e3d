interface Waiting<T, R> {
  item: T;
  resolve: (r: R) => void;
  reject: (err: unknown) => void;
}

interface Slot<T, R> {
  queue: Waiting<T, R>[];
  inFlight: number;
  scheduled: boolean;
}

/**
 * Micro-batching per Redis slot, each caller still getting its own answer: `run(slot, item)` resolves with the answer
 * `flush` gives for that item. An idle slot's flush leaves on the next turn of the event loop, with whatever arrived
 * in the same turn, so it adds no wait; while a flush of the slot is in flight, items wait for it and go together in
 * the next one, so batches grow with the load and a busy slot waits one round trip at most. A full batch (`max`
 * items) leaves at once, even with another in flight: batching never caps a slot's throughput. A failed flush fails
 * each of its items.
 */
export class SlotBatcher<T, R> {
  private readonly slots = new Map<string, Slot<T, R>>();

  constructor(
    private readonly opts: {
      max: number;
      /** One answer per item, in the items' order. */
      flush: (slot: string, items: T[]) => Promise<R[]>;
    },
  ) {}

  run(slot: string, item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      let s = this.slots.get(slot);
      if (!s) {
        s = { queue: [], inFlight: 0, scheduled: false };
        this.slots.set(slot, s);
      }
      s.queue.push({ item, resolve, reject });
      if (s.queue.length >= this.opts.max) this.flush(slot, s);
      else if (s.inFlight === 0 && !s.scheduled) {
        s.scheduled = true;
        setImmediate(() => {
          s.scheduled = false;
          if (s.inFlight === 0) this.flush(slot, s);
        });
      }
    });
  }

  private flush(slot: string, s: Slot<T, R>): void {
    if (s.queue.length === 0) {
      if (s.inFlight === 0 && !s.scheduled && this.slots.get(slot) === s) this.slots.delete(slot);
      return;
    }
    const batch = s.queue.splice(0, this.opts.max);
    s.inFlight += 1;
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
      .finally(() => {
        s.inFlight -= 1;
        if (s.inFlight === 0) this.flush(slot, s);
      });
  }
}
