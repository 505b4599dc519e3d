import { randomUUID } from 'node:crypto';
import { GiftwireError } from '../../../shared/contracts/errors';
import type { User } from '../../../shared/contracts/users';
import type { Deps } from '../../../shared/domain/deps';
import { acceptGift } from '../../../shared/domain/gifts';
import { batchCounts } from '../../../shared/redis/script-batches';
import type { ScriptName } from '../../../shared/redis/scripts';
import { testDeps } from '../../../shared/testing/harness';
import { fundedViewer } from '../../../shared/testing/money';
import { liveStream, walletOf } from '../wallet/fixtures';

/**
 * Gifts that arrive together for one slot are applied in one Redis call (micro-batching), and each still gets its own
 * answer, as if it had been alone: the same checks in the same order, idempotent by its own key.
 */
const deps = testDeps();
afterAll(() => deps.close());

type Outcome = { ok: true; id: string; coins: number } | { ok: false; code: string };

function send(d: Deps, sender: User, streamId: string, key = randomUUID(), count = 1): Promise<Outcome> {
  return acceptGift(d, { sender, streamId, giftId: 'rose', count, idempotencyKey: key }).then(
    (r) => ({ ok: true, id: r.gift.id, coins: r.wallet.coins }),
    (err: unknown) => {
      if (err instanceof GiftwireError) return { ok: false, code: err.code };
      throw err;
    },
  );
}

/** Runs `work` and says how many calls of `single`'s batch script it made and how many gifts they carried. */
async function batchesDuring<T>(single: ScriptName, work: () => Promise<T>): Promise<[T, number]> {
  const before = batchCounts.get(single)?.batches ?? 0;
  const result = await work();
  return [result, (batchCounts.get(single)?.batches ?? 0) - before];
}

describe('gifts that arrive together for one slot are applied in one call, each answered as if alone', () => {
  it('two devices of one fan race for the last coin inside one wallet-phase batch: exactly one is accepted', async () => {
    const fan = await fundedViewer(deps, 1);
    const { streamId } = await liveStream(deps);
    const [outcomes, batches] = await batchesDuring('giftHold', () =>
      Promise.all([send(deps, fan, streamId), send(deps, fan, streamId)]),
    );
    expect(batches).toBe(1);
    expect(outcomes.filter((o) => o.ok)).toHaveLength(1);
    expect(outcomes.filter((o) => !o.ok)).toEqual([{ ok: false, code: 'INSUFFICIENT_FUNDS' }]);
    expect(await walletOf(deps, fan.id)).toMatchObject({ coins: 0, held: 1 });
  });

  it('one key sent twice inside one batch is one gift: the second answer replays the first', async () => {
    const fan = await fundedViewer(deps, 10);
    const { streamId } = await liveStream(deps);
    const key = randomUUID();
    const [outcomes, batches] = await batchesDuring('giftHold', () =>
      Promise.all([send(deps, fan, streamId, key), send(deps, fan, streamId, key)]),
    );
    expect(batches).toBe(1);
    const [a, b] = outcomes as [Outcome & { ok: true }, Outcome & { ok: true }];
    expect(a.ok && b.ok).toBe(true);
    expect(b.id).toBe(a.id);
    expect(await walletOf(deps, fan.id)).toMatchObject({ coins: 9, held: 1 });
    expect(await deps.redis.hget(deps.keys.stream(streamId), 'giftCount')).toBe('1');
  });

  it('a batch keeps each gift in the order of errors: funds, then the rate, each refusal moving nothing', async () => {
    const strict = testDeps({ giftBurst: 2, giftRatePerSec: 1 });
    try {
      const fan = await fundedViewer(strict, 3);
      const { streamId } = await liveStream(strict);
      const [outcomes] = await batchesDuring('giftHold', () =>
        Promise.all([
          send(strict, fan, streamId, randomUUID(), 2), // takes 2 coins and a token
          send(strict, fan, streamId, randomUUID(), 5), // too few coins left: INSUFFICIENT_FUNDS, no token spent
          send(strict, fan, streamId), // the last token
          send(strict, fan, streamId), // neither a coin nor a token left: funds rank first
        ]),
      );
      expect(outcomes.map((o) => (o.ok ? 'ok' : o.code))).toEqual([
        'ok',
        'INSUFFICIENT_FUNDS',
        'ok',
        'INSUFFICIENT_FUNDS',
      ]);
      const fan2 = await fundedViewer(strict, 10);
      const [rated] = await batchesDuring('giftHold', () =>
        Promise.all([send(strict, fan2, streamId), send(strict, fan2, streamId), send(strict, fan2, streamId)]),
      );
      expect(rated.map((o) => (o.ok ? 'ok' : o.code))).toEqual(['ok', 'ok', 'RATE_LIMITED']);
      expect(await walletOf(strict, fan2.id)).toMatchObject({ coins: 8, held: 2 });
    } finally {
      await strict.close();
    }
  });
});
