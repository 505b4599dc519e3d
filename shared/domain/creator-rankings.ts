import { script } from '../redis/scripts';
import type { Deps } from './deps';
import { PHASE_MARKER_TTL_MS, type HeldGift } from './gift-room';
import { periodsOfGift, periodTag } from './leaderboard-periods';

/**
 * The creator rankings (GET /v1/leaderboards/creators): a platform index with one slot per period, so it is written
 * apart from the creator's own slot (docs/ARCHITECTURE.md, "Creator rankings"). A gift counts there when it is
 * settled, once per period by a marker in that period's slot; a voided gift is taken back once the same way.
 */

async function apply(deps: Deps, op: 'add' | 'sub', g: HeldGift): Promise<void> {
  const k = deps.keys;
  await Promise.all(
    periodsOfGift(g.at).map((p) => {
      const tag = periodTag(p);
      const board = k.lbCreators(tag);
      return script(deps.redis, 'creatorRank')(
        k.lbCreatorsCounted(tag, g.giftEventId),
        k.lbCreatorsSeq(tag),
        board,
        k.lbMembers(board),
        op,
        g.creatorId,
        g.totalCoins,
        PHASE_MARKER_TTL_MS,
        p.expiresAt ?? '',
      );
    }),
  );
}

/** Counts a gift on the creator rankings of each of its periods (settlement, after the creator's credit). */
export function countOnCreatorRankings(deps: Deps, g: HeldGift): Promise<void> {
  return apply(deps, 'add', g);
}

/** Takes a voided gift off the creator rankings; one never counted is marked so that it never will be. */
export function uncountOnCreatorRankings(deps: Deps, g: HeldGift): Promise<void> {
  return apply(deps, 'sub', g);
}
