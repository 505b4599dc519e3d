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

/** The public Wallet: today's spending counts only when it was recorded today (UTC, by `now`: Redis's clock). */
export function publicWallet(w: WalletRecord, now: number, onHold = 0): Wallet {
  return {
    coins: w.coins,
    heldCoins: w.held,
    diamonds: w.diamonds,
    withdrawableDiamonds: Math.max(0, w.diamonds - onHold),
    spentTodayCoins: w.spentDay === dayNumber(now) ? w.spentToday : 0,
    dailySpendLimitCoins: w.limit,
  };
}

/** The diamonds of earnings-hold members (`<giftEventId>:<diamonds>`, lua/lib/earnings.lua). */
export function diamondsOnHold(members: string[]): number {
  return members.reduce((sum, m) => sum + Number(m.slice(m.lastIndexOf(':') + 1)), 0);
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
