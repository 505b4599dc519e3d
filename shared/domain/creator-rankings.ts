import { MAX_GIFTS_PER_CALL, runScriptWithKeys } from '../redis/script-batches';
import type { Deps } from './deps';
import { PHASE_MARKER_TTL_MS, type HeldGift } from './gift-room';
import { periodsOfGift, periodTag, type Period } from './leaderboard-periods';

/**
 * The creator rankings (GET /v1/leaderboards/creators): a platform index, all periods in one slot of their own, so it
 * is written apart from the creator's own slot (docs/ARCHITECTURE.md, "Creator rankings"). A gift counts there when
 * it is settled, once by a marker there; a voided gift is taken back once the same way. One call carries the gifts of
 * a settlement job: a board's row is updated once per creator and call, whatever the number of gifts.
 */

async function apply(deps: Deps, op: 'add' | 'sub', gifts: readonly HeldGift[]): Promise<void> {
  for (let i = 0; i < gifts.length; i += MAX_GIFTS_PER_CALL) {
    await applyChunk(deps, op, gifts.slice(i, i + MAX_GIFTS_PER_CALL));
  }
}

async function applyChunk(deps: Deps, op: 'add' | 'sub', gifts: readonly HeldGift[]): Promise<void> {
  const k = deps.keys;
  // the periods of the call, each once (a job that spans an hour boundary has two hours)
  const periods = new Map<string, { index: number; period: Period }>();
  const perGift: (string | number)[] = [];
  for (const g of gifts) {
    perGift.push(g.creatorId, g.totalCoins);
    for (const p of periodsOfGift(g.at)) {
      const tag = periodTag(p);
      let entry = periods.get(tag);
      if (!entry) {
        entry = { index: periods.size + 1, period: p };
        periods.set(tag, entry);
      }
      perGift.push(entry.index);
    }
  }
  const periodKeys = [...periods.keys()].flatMap((tag) => {
    const board = k.lbCreators(tag);
    return [k.lbCreatorsSeq(tag), board, k.lbMembers(board)];
  });
  const keys = [...gifts.map((g) => k.lbCreatorsCounted(g.giftEventId)), ...periodKeys];
  await runScriptWithKeys(deps.redis, 'creatorRank', keys, [
    op,
    PHASE_MARKER_TTL_MS,
    gifts.length,
    periods.size,
    ...[...periods.values()].map((e) => e.period.expiresAt ?? ''),
    ...perGift,
  ]);
}

/** Counts gifts on the creator rankings of each of their periods (settlement, before the creator's credit). */
export function countOnCreatorRankings(deps: Deps, gifts: readonly HeldGift[]): Promise<void> {
  return apply(deps, 'add', gifts);
}

/** Takes voided gifts off the creator rankings; one never counted is marked so that it never will be. */
export function uncountOnCreatorRankings(deps: Deps, gifts: readonly HeldGift[]): Promise<void> {
  return apply(deps, 'sub', gifts);
}
