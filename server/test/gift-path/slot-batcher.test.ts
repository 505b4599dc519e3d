import { SlotBatcher } from '../../../shared/redis/slot-batcher';

/**
 * The batching rule of the gift phases, on its own: what arrives for a slot together leaves together, a busy slot's
 * gifts wait for the call in flight and no longer, a full batch never waits, and every caller gets its own answer.
 */
describe('a slot batcher sends what arrives together in one call and answers each caller', () => {
  function recorder() {
    const calls: Array<{ slot: string; items: number[]; done: () => void; fail: (e: Error) => void }> = [];
    const batcher = new SlotBatcher<number, string>({
      max: 4,
      flush: (slot, items) =>
        new Promise<string[]>((resolve, reject) => {
          calls.push({ slot, items, done: () => resolve(items.map((i) => `${slot}:${i}`)), fail: reject });
        }),
    });
    return { calls, batcher };
  }
  const turn = () => new Promise((r) => setImmediate(r));

  it('an idle slot sends on the next turn with everything of this turn; each caller gets its own answer', async () => {
    const { calls, batcher } = recorder();
    const answers = Promise.all([batcher.run('a', 1), batcher.run('a', 2), batcher.run('b', 3)]);
    expect(calls).toHaveLength(0);
    await turn();
    expect(calls.map((c) => [c.slot, c.items])).toEqual([
      ['a', [1, 2]],
      ['b', [3]],
    ]);
    calls.forEach((c) => c.done());
    expect(await answers).toEqual(['a:1', 'a:2', 'b:3']);
  });

  it('while a call is in flight the slot collects, then sends the rest as one call; a full batch leaves at once', async () => {
    const { calls, batcher } = recorder();
    const first = batcher.run('a', 1);
    await turn();
    const waiting = [2, 3, 4].map((i) => batcher.run('a', i));
    await turn();
    expect(calls).toHaveLength(1); // 2, 3 and 4 wait for the call in flight
    const full = [5].map((i) => batcher.run('a', i)); // the fourth waiting item fills a batch: it leaves now
    expect(calls.map((c) => c.items)).toEqual([[1], [2, 3, 4, 5]]);
    const after = batcher.run('a', 6);
    calls[0]!.done();
    calls[1]!.done();
    expect(await Promise.all([first, ...waiting, ...full])).toEqual(['a:1', 'a:2', 'a:3', 'a:4', 'a:5']);
    await turn();
    expect(calls.map((c) => c.items)).toEqual([[1], [2, 3, 4, 5], [6]]);
    calls[2]!.done();
    expect(await after).toBe('a:6');
  });

  it('a failed call fails each of its callers, and the slot carries on', async () => {
    const { calls, batcher } = recorder();
    const failed = [batcher.run('a', 1), batcher.run('a', 2)].map((p) => p.catch((e: Error) => e.message));
    await turn();
    calls[0]!.fail(new Error('connection lost'));
    expect(await Promise.all(failed)).toEqual(['connection lost', 'connection lost']);
    const next = batcher.run('a', 3);
    await turn();
    calls[1]!.done();
    expect(await next).toBe('a:3');
  });
});
