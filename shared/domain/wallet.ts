import type { Wallet } from '../contracts/models';
import { dayNumber } from '../redis/keys';
import { interpret, script } from '../redis/scripts';
import { redisNow } from './clock';
import type { Deps } from './deps';

/** Every field of a wallet hash (docs/ARCHITECTURE.md), absent = 0; `limit` null when there is none. */
export interface WalletRecord {
  coins: number;
  held: number;
  spent: number;
  purchased: number;
  spentDay: number | null;
  spentToday: number;
  limit: number | null;
  received: number;
  diamondsEarned: number;
  diamonds: number;
  diamondsPaidOut: number;
  /** Coins a chargeback took back from this user's wallet (available and voided held coins). */
  chargedBack: number;
  /** Diamonds chargebacks clawed back from this creator. */
  diamondsClawedBack: number;
}

const int = (v: string | undefined) => (v === undefined || v === '' ? 0 : Number(v));

export function walletRecord(h: Record<string, string>): WalletRecord {
  return {
    coins: int(h.coins),
    held: int(h.held),
    spent: int(h.spent),
    purchased: int(h.purchased),
    spentDay: h.spentDay === undefined ? null : Number(h.spentDay),
    spentToday: int(h.spentToday),
    limit: h.limit === undefined ? null : Number(h.limit),
    received: int(h.received),
    diamondsEarned: int(h.diamondsEarned),
    diamonds: int(h.diamonds),
    diamondsPaidOut: int(h.diamondsPaidOut),
    chargedBack: int(h.chargedBack),
    diamondsClawedBack: int(h.diamondsClawedBack),
  };
}

/** The one mapping of wallet fields to the public Wallet; `spentToday` must already be today's. */
function toPublic(w: Pick<WalletRecord, 'coins' | 'held' | 'diamonds' | 'spentToday' | 'limit'>): Wallet {
  return {
    coins: w.coins,
    heldCoins: w.held,
    diamonds: w.diamonds,
    spentTodayCoins: w.spentToday,
    dailySpendLimitCoins: w.limit,
  };
}

/** The public Wallet: today's spending counts only when it was recorded today (UTC, by `now`: Redis's clock). */
export function publicWallet(w: WalletRecord, now: number, onHold = 0): Wallet {
  return {
    ...toPublic({ ...w, spentToday: w.spentDay === dayNumber(now) ? w.spentToday : 0 }),
    withdrawableDiamonds: Math.max(0, w.diamonds - onHold),
  };
}

/** The diamonds of earnings-hold members (`<giftEventId>:<diamonds>`, lua/lib/earnings.lua). */
export function diamondsOnHold(members: string[]): number {
  return members.reduce((sum, m) => sum + Number(m.slice(m.lastIndexOf(':') + 1)), 0);
}

/**
 * The public Wallet from a script's snapshot of the same fields (integers as strings, `spentToday` already today's,
 * `limit` '' when there is none), as the recharge script stores it with its answer.
 */
export function snapshotWallet(r: Record<string, string | undefined>): Wallet {
  return toPublic({
    coins: int(r.coins),
    held: int(r.held),
    diamonds: int(r.diamonds),
    spentToday: int(r.spentToday),
    limit: r.limit ? Number(r.limit) : null,
  });
}

/** The wallet as its owner sees it; "today" is the day Redis's clock reports, as for the daily limit itself. */
export async function getWallet(deps: Deps, userId: string): Promise<Wallet> {
  const now = await redisNow(deps);
  const [h, held] = await Promise.all([
    deps.redis.hgetall(deps.keys.wallet(userId)),
    deps.redis.zrangebyscore(deps.keys.earningsHold(userId), `(${now}`, '+inf'),
  ]);
  return publicWallet(walletRecord(h), now, diamondsOnHold(held));
}

/**
 * A user's own change of their daily limit: lowering (or setting one where there was none) is allowed; raising or
 * removing it is FORBIDDEN, because a limit is a self-protection an impulse must not undo (an operator can).
 */
export async function lowerDailyLimit(deps: Deps, userId: string, limit: number | null): Promise<Wallet> {
  interpret(await script(deps.redis, 'walletLimit')(deps.keys.wallet(userId), limit === null ? '' : limit));
  return getWallet(deps, userId);
}
