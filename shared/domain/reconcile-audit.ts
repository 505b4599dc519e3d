import type { RedisConnection } from '../redis/client';
import { userShard, type Keys } from '../redis/keys';
import type { Ratio } from '../config';
import { walletRecord, type WalletRecord } from './wallet';

/**
 * One user's consistent audit: their wallet hash and every record their history references, read in one
 * MULTI under WATCH of the wallet. All of it lives in the user's slot (a gift received is the creator's credit
 * record, not the sender's gift), so the MULTI runs on a cluster too. Every script that changes a user's history or
 * a gift's status also writes that user's wallet, so an EXEC that goes through saw one instant; a busy user is
 * retried, then reported busy. What spans two owners (each settled gift credited once) is checked by reconcile.ts
 * from what these audits return.
 */

export interface Violation {
  check: string;
  message: string;
  userId?: string;
  /** The gift event's id (a gift record, not the catalog slug). */
  giftEventId?: string;
  expected?: number | string;
  actual?: number | string;
}

export interface UserAudit {
  wallet: WalletRecord;
  violations: Violation[];
  giftsSeen: number;
  /** The user's gifts sent, by status, with their creators: the sender's side of the cross-owner check. */
  sent: { giftEventId: string; status: string | null; creatorId: string | null }[];
  /** Gift event ids credited to this user as creator: the creator's side of it. */
  credited: string[];
}

const MONEY_FIELDS = [
  'coins',
  'held',
  'spent',
  'purchased',
  'spentToday',
  'limit',
  'received',
  'diamondsEarned',
  'diamonds',
  'diamondsPaidOut',
  'chargedBack',
  'diamondsClawedBack',
] as const;

export async function auditUser(
  conn: RedisConnection,
  keys: Keys,
  rate: Ratio,
  userId: string,
  attempts = 5,
): Promise<UserAudit | 'busy'> {
  const walletKey = keys.wallet(userId);
  for (let i = 0; i < attempts; i++) {
    await conn.watch(walletKey);
    const members = await conn.zrange(keys.txs(userId), 0, -1);
    const recharges: string[] = [];
    const sent: string[] = [];
    const received: string[] = [];
    const payouts: string[] = [];
    const chargebacks: string[] = [];
    for (const m of members) {
      const [type, ref] = [m.slice(0, m.indexOf(':')), m.slice(m.indexOf(':') + 1)];
      if (type === 'recharge') recharges.push(ref);
      else if (type === 'gift_sent') sent.push(ref);
      else if (type === 'gift_received') received.push(ref);
      else if (type === 'payout') payouts.push(ref);
      else if (type === 'chargeback') chargebacks.push(ref);
    }
    const tx = conn.multi().hgetall(walletKey);
    for (const id of recharges) tx.hget(keys.recharge(id), 'coins');
    const outbox = keys.outbox(userShard(userId));
    for (const id of sent) tx.hmget(keys.gift(id), 'status', 'totalCoins', 'creatorId').zscore(outbox, id);
    for (const id of received) tx.hmget(keys.credit(userId, id), 'totalCoins', 'diamonds');
    for (const id of payouts) tx.hmget(keys.payout(id), 'status', 'diamonds');
    for (const id of chargebacks) tx.hget(keys.chargeback(id), 'takenFromBuyer');
    const res = await tx.exec();
    if (res === null) continue; // the wallet moved while we read: read again
    const out = res.map(([err, v]) => {
      if (err) throw err;
      return v;
    });
    let at = 0;
    const next = <T>() => out[at++] as T;
    const wallet = walletRecord(next<Record<string, string>>());
    const rows = {
      recharges: recharges.map((id) => ({ id, coins: next<string | null>() })),
      sent: sent.map((id) => ({ id, gift: next<(string | null)[]>(), outboxScore: next<string | null>() })),
      received: received.map((id) => ({ id, gift: next<(string | null)[]>() })),
      payouts: payouts.map((id) => ({ id, payout: next<(string | null)[]>() })),
      chargebacks: chargebacks.map(() => next<string | null>()),
    };
    return {
      wallet,
      violations: check(userId, wallet, rows, rate),
      giftsSeen: sent.length + received.length,
      sent: rows.sent.map(({ id, gift }) => ({ giftEventId: id, status: gift[0] ?? null, creatorId: gift[2] ?? null })),
      credited: received,
    };
  }
  await conn.unwatch();
  return 'busy';
}

interface Rows {
  recharges: { id: string; coins: string | null }[];
  sent: { id: string; gift: (string | null)[]; outboxScore: string | null }[];
  received: { id: string; gift: (string | null)[] }[];
  payouts: { id: string; payout: (string | null)[] }[];
  /** Each chargeback's takenFromBuyer. */
  chargebacks: (string | null)[];
}

function check(userId: string, w: WalletRecord, rows: Rows, rate: Ratio): Violation[] {
  const v: Violation[] = [];
  const expect = (check: string, expected: number, actual: number, message: string) => {
    if (expected !== actual) v.push({ check, userId, expected, actual, message });
  };
  for (const f of MONEY_FIELDS) {
    const value = w[f];
    if (value !== null && !(Number.isSafeInteger(value) && value >= 0)) {
      v.push({ check: 'non-negative integers', userId, actual: value, message: `wallet field ${f} is ${value}` });
    }
  }
  expect(
    'purchased = coins + held + spent + chargedBack',
    w.purchased,
    w.coins + w.held + w.spent + w.chargedBack,
    'coins were created or lost',
  );
  expect(
    'chargedBack = sum of coins chargebacks took from the wallet',
    sum(rows.chargebacks.map((c) => Number(c ?? 0))),
    w.chargedBack,
    'charged-back coins differ from the chargeback records',
  );
  expect(
    'purchased = sum of recharges',
    sum(rows.recharges.map((r) => Number(r.coins ?? 0))),
    w.purchased,
    'purchased differs from the recharge records',
  );

  let held = 0;
  let spent = 0;
  for (const { id, gift, outboxScore } of rows.sent) {
    const [status, total] = gift;
    if (status === 'held') held += Number(total);
    else if (status === 'settled') spent += Number(total);
    else
      v.push({
        check: 'gift records exist',
        userId,
        giftEventId: id,
        actual: String(status),
        message: 'the history names a gift that is neither held nor settled',
      });
    if ((status === 'held') !== (outboxScore !== null)) {
      v.push({
        check: 'outbox holds exactly the held gifts',
        userId,
        giftEventId: id,
        actual: String(status),
        message: status === 'held' ? 'a held gift is missing from the outbox' : 'a posted gift is still in the outbox',
      });
    }
  }
  expect('held = sum of held gifts sent', held, w.held, 'held coins differ from the held gift records');
  expect('spent = sum of settled gifts sent', spent, w.spent, 'spent coins differ from the settled gift records');

  let received = 0;
  let earned = 0;
  for (const { id, gift } of rows.received) {
    const [total, diamonds] = gift;
    if (total === null || total === undefined)
      v.push({
        check: 'gift records exist',
        userId,
        giftEventId: id,
        message: 'the history names a received gift with no credit record',
      });
    received += Number(total ?? 0);
    earned += Number(diamonds ?? 0);
  }
  expect('received = sum of gifts received', received, w.received, 'received coins differ from the credit records');
  expect(
    'diamondsEarned = sum of diamonds credited',
    earned,
    w.diamondsEarned,
    "diamonds earned differ from the gifts' credited diamonds",
  );
  if (Number.isSafeInteger(w.received)) {
    const floorRate = Number((BigInt(w.received) * BigInt(rate.num)) / BigInt(rate.den));
    expect(
      `diamondsEarned = floor(received x ${rate.num}/${rate.den})`,
      floorRate,
      w.diamondsEarned,
      'diamonds earned differ from the rate',
    );
  }
  // a payout's diamonds leave when it is requested (review included) and come back when it fails or is rejected
  const returned = (status: string | null | undefined) => status === 'failed' || status === 'rejected';
  const paidOut = sum(rows.payouts.map(({ payout: [status, d] }) => (returned(status) ? 0 : Number(d ?? 0))));
  expect(
    'diamondsPaidOut = sum of review, pending and paid payouts',
    paidOut,
    w.diamondsPaidOut,
    'paid-out diamonds differ from the payout records',
  );
  expect(
    'diamonds = diamondsEarned - diamondsPaidOut - diamondsClawedBack',
    w.diamondsEarned - w.diamondsPaidOut - w.diamondsClawedBack,
    w.diamonds,
    'the diamond balance differs from earned minus paid out',
  );
  return v;
}

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
