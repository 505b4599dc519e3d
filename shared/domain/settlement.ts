import { GiftwireError } from '../contracts/errors';
import { interpret, script } from '../redis/scripts';
import type { Deps } from './deps';

/**
 * The wallet's posting primitives for held gifts (lua/gift-settle-6.lua, lua/gift-void-4.lua). The settlement
 * pipeline (outbox relay, BullMQ workers, sweeper) calls these; each is exactly-once in effect, whatever is
 * redelivered, because the gift's status is checked inside the same atomic step that moves the money.
 */

export type SettleOutcome =
  /** This call posted the gift. */
  | 'settled'
  /** Someone posted it before: nothing moved. */
  | 'already-settled'
  /** It was voided: nothing to post. */
  | 'voided'
  /** No such gift record. */
  | 'missing';

export interface SettleResult {
  giftId: string;
  outcome: SettleOutcome;
  /** Diamonds the creator earned with this gift (0 unless settled, now or before). */
  diamonds: number;
}

interface GiftParties {
  status: string | null;
  senderId: string | null;
  creatorId: string | null;
  diamonds: string | null;
}

const PARTY_FIELDS = ['status', 'senderId', 'creatorId', 'diamonds'] as const;

function parties(row: (string | null)[]): GiftParties {
  const [status, senderId, creatorId, diamonds] = row;
  return {
    status: status ?? null,
    senderId: senderId ?? null,
    creatorId: creatorId ?? null,
    diamonds: diamonds ?? null,
  };
}

/** Settles one gift: held -> spent for the sender, received and diamonds for the creator. A second call is a no-op. */
export async function settleGift(deps: Deps, giftId: string, now = Date.now()): Promise<SettleResult> {
  const row = await deps.redis.hmget(deps.keys.gift(giftId), ...PARTY_FIELDS);
  return settleKnown(deps, giftId, parties(row), now);
}

/**
 * Settles many gifts: one pipelined read of the records, then one script call per gift that is still held (the
 * calls share the connection's auto-pipeline). Results are in the order of `giftIds`.
 */
export async function settleGifts(deps: Deps, giftIds: readonly string[], now = Date.now()): Promise<SettleResult[]> {
  if (giftIds.length === 0) return [];
  const p = deps.redis.pipeline();
  for (const id of giftIds) p.hmget(deps.keys.gift(id), ...PARTY_FIELDS);
  const rows = (await p.exec()) ?? [];
  return Promise.all(
    giftIds.map((id, i) => settleKnown(deps, id, parties((rows[i]?.[1] ?? []) as (string | null)[]), now)),
  );
}

async function settleKnown(deps: Deps, giftId: string, g: GiftParties, now: number): Promise<SettleResult> {
  if (!g.status || !g.senderId || !g.creatorId) return { giftId, outcome: 'missing', diamonds: 0 };
  if (g.status === 'settled') return { giftId, outcome: 'already-settled', diamonds: Number(g.diamonds ?? 0) };
  if (g.status === 'voided') return { giftId, outcome: 'voided', diamonds: 0 };
  const k = deps.keys;
  const { num, den } = deps.config.diamondRate;
  const r = interpret(
    await script(deps.redis, 'giftSettle')(
      k.gift(giftId),
      k.wallet(g.senderId),
      k.wallet(g.creatorId),
      k.outbox,
      k.txs(g.creatorId),
      k.seq,
      giftId,
      g.senderId,
      g.creatorId,
      now,
      num,
      den,
    ),
  );
  if (r.status === 'OK') return { giftId, outcome: 'settled', diamonds: Number(r.payload[0]) };
  if (r.status === 'REPLAY') {
    const [status, diamonds] = r.payload as [string, string];
    return status === 'settled'
      ? { giftId, outcome: 'already-settled', diamonds: Number(diamonds) }
      : { giftId, outcome: 'voided', diamonds: 0 };
  }
  // gift records are immutable apart from their status: a STALE answer means the record was tampered with
  throw new GiftwireError('INTERNAL', `gift ${giftId} changed parties during settlement`);
}

export type VoidOutcome = 'voided' | 'already-voided';

/**
 * Cancels a held gift: its coins go back to the sender's available coins. A settled gift cannot be voided
 * (CONFLICT); voiding twice is a no-op. Scores, stream totals and leaderboards are not rewound.
 */
export async function voidGift(deps: Deps, giftId: string, now = Date.now()): Promise<VoidOutcome> {
  const senderId = await deps.redis.hget(deps.keys.gift(giftId), 'senderId');
  if (!senderId) throw new GiftwireError('NOT_FOUND', 'No such gift.');
  const k = deps.keys;
  const r = interpret(
    await script(deps.redis, 'giftVoid')(
      k.gift(giftId),
      k.wallet(senderId),
      k.outbox,
      k.txs(senderId),
      giftId,
      senderId,
      now,
    ),
  );
  if (r.status === 'STALE') throw new GiftwireError('INTERNAL', `gift ${giftId} changed sender`);
  return r.status === 'OK' ? 'voided' : 'already-voided';
}
