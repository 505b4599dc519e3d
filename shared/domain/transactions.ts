import type { Page } from '../contracts/common';
import { PAYOUT_STATUSES, type Transaction, type TransactionType } from '../contracts/models';
import type { Deps } from './deps';

/**
 * A user's history, newest first: `txs:<uid>` holds `<type>:<refId>` members scored by the wallet's own counter
 * (txSeq), and each item's amounts and status are read from the record it references, all in the user's slot, so a
 * gift sent reads `pending` until it is settled. The cursor is the txSeq of the last item of the page (opaque to
 * clients); the next page starts below it.
 */
export async function listTransactions(
  deps: Deps,
  userId: string,
  q: { limit: number; cursor?: string },
): Promise<Page<Transaction>> {
  const max = q.cursor === undefined ? '+inf' : `(${q.cursor}`;
  const flat = await deps.redis.zrevrangebyscore(
    deps.keys.txs(userId),
    max,
    '-inf',
    'WITHSCORES',
    'LIMIT',
    0,
    q.limit + 1,
  );
  const entries: Array<{ member: string; seq: string }> = [];
  for (let i = 0; i < flat.length; i += 2) entries.push({ member: flat[i]!, seq: flat[i + 1]! });
  const page = entries.slice(0, q.limit);

  // entries of a type this version does not know are skipped, never invented
  const refs = page.map((e) => splitMember(e.member)).filter((r): r is [TransactionType, string] => r !== null);
  const p = deps.redis.pipeline();
  for (const [type, ref] of refs) p.hmget(recordKey(deps, userId, type, ref), ...FIELDS[type]);
  const rows = (await p.exec()) ?? [];
  const items: Transaction[] = [];
  refs.forEach(([type, ref], i) => {
    const item = toTransaction(type, ref, (rows[i]?.[1] ?? []) as (string | null)[]);
    if (item) items.push(item);
  });
  const more = entries.length > q.limit;
  return { items, nextCursor: more && page.length > 0 ? page[page.length - 1]!.seq : null };
}

const FIELDS: Record<TransactionType, string[]> = {
  recharge: ['coins', 'at'],
  gift_sent: ['totalCoins', 'status', 'at'],
  gift_received: ['totalCoins', 'diamonds', 'settledAt'],
  payout: ['diamonds', 'status', 'createdAt'],
  chargeback: ['coins', 'state', 'createdAt'],
};

function splitMember(member: string): [TransactionType, string] | null {
  const i = member.indexOf(':');
  const type = member.slice(0, i);
  return Object.hasOwn(FIELDS, type) ? [type as TransactionType, member.slice(i + 1)] : null;
}

/** Every record a user's history names lives in that user's slot (a gift received: the creator's credit record). */
function recordKey(deps: Deps, userId: string, type: TransactionType, ref: string): string {
  switch (type) {
    case 'recharge':
      return deps.keys.recharge(ref);
    case 'payout':
      return deps.keys.payout(ref);
    case 'chargeback':
      return deps.keys.chargeback(ref);
    case 'gift_received':
      return deps.keys.credit(userId, ref);
    default:
      return deps.keys.gift(ref);
  }
}

/** Signed from the owner's side; a reference whose record is gone is skipped. */
function toTransaction(type: TransactionType, ref: string, f: (string | null)[]): Transaction | null {
  if (f.length === 0 || f.every((v) => v === null)) return null;
  const id = `${type}:${ref}`;
  const n = (v: string | null | undefined) => Number(v ?? 0);
  switch (type) {
    case 'recharge':
      return { id, type, coins: n(f[0]), status: 'settled', at: n(f[1]), ref };
    case 'gift_sent':
      return { id, type, coins: -n(f[0]), status: f[1] === 'settled' ? 'settled' : 'pending', at: n(f[2]), ref };
    case 'gift_received':
      return { id, type, coins: n(f[0]), diamonds: n(f[1]), status: 'settled', at: n(f[2]), ref };
    case 'chargeback':
      // the buyer loses the recharge's coins (from coins, voided gifts, or as clawbacks and platform loss)
      return { id, type, coins: -n(f[0]), status: f[1] === 'done' ? 'settled' : 'pending', at: n(f[2]), ref };
    case 'payout': {
      const status = PAYOUT_STATUSES.find((x) => x === f[1]) ?? 'pending';
      return { id, type, diamonds: -n(f[0]), status, at: n(f[2]), ref };
    }
  }
}
