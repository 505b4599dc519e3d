import { randomUUID } from 'node:crypto';
import { GiftwireError } from '../../../shared/contracts/errors';
import type { User } from '../../../shared/contracts/users';
import { acceptGift } from '../../../shared/domain/gifts';
import { testDeps } from '../../../shared/testing/harness';
import { fundViewer, fundedViewer } from '../../../shared/testing/money';
import { liveStream } from '../wallet/fixtures';

/**
 * The per-user gift rate is a token bucket kept in the sender's slot and refilled by Redis TIME: GIFT_BURST tokens at
 * most, GIFT_RATE_PER_SEC more a second. Fixed windows let a sender through twice the rate across a window's edge;
 * the bucket never lets more than GIFT_BURST + rate * T through in any T seconds.
 */
const RATE = 20;
const BURST = 10;
const deps = testDeps({ giftRatePerSec: RATE, giftBurst: BURST });
afterAll(() => deps.close());

type Outcome = { ok: true; at: number } | { ok: false; code: string };

async function attempt(sender: User, streamId: string, key = randomUUID()): Promise<Outcome> {
  try {
    const r = await acceptGift(deps, { sender, streamId, giftId: 'rose', count: 1, idempotencyKey: key });
    return { ok: true, at: r.gift.at };
  } catch (err) {
    if (err instanceof GiftwireError) return { ok: false, code: err.code };
    throw err;
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('a sender is held to the gift rate exactly', () => {
  it('a sender hammering for two seconds gets at most GIFT_BURST + rate * T in every window, and about that many', async () => {
    const fan = await fundedViewer(deps, 10_000);
    const { streamId } = await liveStream(deps);
    const outcomes: Outcome[] = [];
    const until = Date.now() + 2_000;
    // four senders on one account, each sending again as soon as it is answered
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        while (Date.now() < until) outcomes.push(await attempt(fan, streamId));
      }),
    );
    const refused = outcomes.filter((o): o is Outcome & { ok: false } => !o.ok);
    expect(new Set(refused.map((o) => o.code))).toEqual(new Set(['RATE_LIMITED']));
    const times = outcomes
      .filter((o): o is Outcome & { ok: true } => o.ok)
      .map((o) => o.at)
      .sort((a, b) => a - b);
    expect(refused.length).toBeGreaterThan(times.length); // the sender really pressed past the rate

    // every window [times[i], times[j]] (Redis TIME, ms) holds at most BURST + RATE * its length accepted gifts
    for (let i = 0; i < times.length; i++) {
      for (let j = i; j < times.length; j++) {
        const seconds = (times[j]! - times[i]!) / 1000;
        expect(j - i + 1).toBeLessThanOrEqual(BURST + RATE * seconds);
      }
    }
    // and the bucket is no stricter than that: over the whole run it let through all it had (one refill of slack)
    const span = (times.at(-1)! - times[0]!) / 1000;
    expect(times.length).toBeGreaterThanOrEqual(Math.floor(BURST + RATE * span) - 1);
  });

  it('across what would be a fixed window edge, a sender gets the burst and then only the rate', async () => {
    const fan = await fundedViewer(deps, 1_000);
    const { streamId } = await liveStream(deps);
    const first = await Promise.all(Array.from({ length: BURST + 5 }, () => attempt(fan, streamId)));
    expect(first.filter((o) => o.ok)).toHaveLength(BURST);
    await sleep(500); // half a second refills RATE / 2 tokens, not a fresh window's worth
    const second = await Promise.all(Array.from({ length: BURST + 5 }, () => attempt(fan, streamId)));
    const ok = second.filter((o) => o.ok).length;
    expect(ok).toBeGreaterThanOrEqual(RATE / 2 - 1);
    expect(ok).toBeLessThanOrEqual(RATE / 2 + 2); // the extra two: the time the first burst itself took
  });

  it('a steady sender at exactly the rate is never refused', async () => {
    const fan = await fundedViewer(deps, 1_000);
    const { streamId } = await liveStream(deps);
    await Promise.all(Array.from({ length: BURST }, () => attempt(fan, streamId))); // start with an empty bucket
    const interval = 1000 / RATE;
    const start = Date.now() + interval;
    const outcomes: Outcome[] = [];
    for (let i = 0; i < 40; i++) {
      // on a schedule, never faster than the rate (a late timer does not make the next send early)
      await sleep(Math.max(0, start + i * interval - Date.now()));
      outcomes.push(await attempt(fan, streamId));
      if (!outcomes.at(-1)!.ok) break;
    }
    expect(outcomes.filter((o) => !o.ok)).toEqual([]);
  });

  it('a refused send spends no token: a broke sender refused for funds still has the whole burst once paid', async () => {
    const fan = await fundedViewer(deps, 0);
    const { streamId } = await liveStream(deps);
    const broke = await Promise.all(Array.from({ length: 3 * BURST }, () => attempt(fan, streamId)));
    expect(broke.map((o) => (o.ok ? 'ok' : o.code))).toEqual(Array(3 * BURST).fill('INSUFFICIENT_FUNDS'));
    await fundViewer(deps, fan, 100);
    const paid = await Promise.all(Array.from({ length: BURST }, () => attempt(fan, streamId)));
    expect(paid.every((o) => o.ok)).toBe(true);
  });

  it('a repeat of an accepted gift is answered again without spending a token', async () => {
    const fan = await fundedViewer(deps, 100);
    const { streamId } = await liveStream(deps);
    const key = randomUUID();
    expect((await attempt(fan, streamId, key)).ok).toBe(true);
    const repeats = await Promise.all(Array.from({ length: 3 * BURST }, () => attempt(fan, streamId, key)));
    expect(repeats.every((o) => o.ok)).toBe(true);
    const fresh = await Promise.all(Array.from({ length: BURST - 1 }, () => attempt(fan, streamId)));
    expect(fresh.every((o) => o.ok)).toBe(true);
  });
});
