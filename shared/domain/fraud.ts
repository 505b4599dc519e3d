import type { Deps } from './deps';

/**
 * Fraud signals, simple and explained: two accounts are linked when they paid with the same payment fingerprint
 * (the provider's card fingerprint; the sandbox reads it from `tok_ok_<fingerprint>`) or registered the same payout
 * destination. A gift from an account linked to the receiving creator is self-gifting through a second account:
 * it is flagged, and that creator's next payouts wait in review until an operator decides one. Each signal is a
 * row in the flags log (GET /v1/admin/flags).
 */
export type LinkVia = 'payment' | 'destination';

export interface Flag {
  id: string;
  at: number;
  kind: 'linked-accounts' | 'linked-gift';
  userId: string;
  linkedUserId: string;
  via: string;
  /** linked-gift: the gift and its coins. */
  giftEventId?: string;
  coins?: number;
}

const linkKey = (deps: Deps, via: LinkVia, value: string) =>
  via === 'payment' ? deps.keys.fingerprintUsers(value) : deps.keys.destinationUsers(value);

async function addFlag(deps: Deps, fields: Record<string, string>): Promise<void> {
  const flat = Object.entries(fields).flat();
  await deps.redis.xadd(deps.keys.flags, 'MAXLEN', '~', 100_000, '*', ...flat);
}

/** Records that `userId` used this fingerprint or destination; a second account on it is a linked-accounts flag. */
export async function recordLink(deps: Deps, userId: string, via: LinkVia, value: string): Promise<void> {
  const key = linkKey(deps, via, value);
  const [added] = await Promise.all([
    deps.redis.sadd(key, userId),
    deps.redis.sadd(deps.keys.userLinks(userId), `${via === 'payment' ? 'fp' : 'dest'}:${value}`),
  ]);
  if (added === 0) return;
  const others = (await deps.redis.smembers(key)).filter((u) => u !== userId);
  for (const other of others) {
    await addFlag(deps, { kind: 'linked-accounts', userId, linkedUserId: other, via: `${via}:${value}` });
  }
}

/** How `a` is linked to `b`, or null. */
export async function linkBetween(deps: Deps, a: string, b: string): Promise<string | null> {
  const links = await deps.redis.smembers(deps.keys.userLinks(a));
  for (const link of links) {
    const i = link.indexOf(':');
    const via: LinkVia = link.slice(0, i) === 'fp' ? 'payment' : 'destination';
    if (await deps.redis.sismember(linkKey(deps, via, link.slice(i + 1)), b)) return `${via}:${link.slice(i + 1)}`;
  }
  return null;
}

/**
 * Before gifts are credited (settlement): a gift from an account linked to its creator sends the creator's next
 * payouts to review (a wallet field the payout script reads, set first so no payout slips in) and is flagged once.
 * The link between a sender and a creator is looked up once for all their gifts here.
 */
export async function flagLinkedGifts(
  deps: Deps,
  gifts: readonly { giftEventId: string; senderId: string; creatorId: string; totalCoins: number }[],
): Promise<void> {
  const links = new Map<string, Promise<string | null>>();
  await Promise.all(
    gifts.map(async (gift) => {
      const pair = `${gift.senderId}|${gift.creatorId}`;
      let link = links.get(pair);
      if (!link) links.set(pair, (link = linkBetween(deps, gift.senderId, gift.creatorId)));
      const via = await link;
      if (!via) return;
      await deps.redis.hset(deps.keys.wallet(gift.creatorId), 'payoutsToReview', '1');
      if (await deps.redis.set(deps.keys.flaggedGift(gift.giftEventId), '1', 'NX')) {
        await addFlag(deps, {
          kind: 'linked-gift',
          userId: gift.creatorId,
          linkedUserId: gift.senderId,
          via,
          giftEventId: gift.giftEventId,
          coins: String(gift.totalCoins),
        });
      }
    }),
  );
}

/** Newest first; `cursor` is the last id of the previous page. */
export async function listFlags(deps: Deps, limit: number, cursor?: string) {
  const rows = await deps.redis.xrevrange(deps.keys.flags, cursor ? `(${cursor}` : '+', '-', 'COUNT', limit + 1);
  const items: Flag[] = rows.slice(0, limit).map(([id, fields]) => {
    const f: Record<string, string> = {};
    for (let i = 0; i < fields.length; i += 2) f[fields[i]!] = fields[i + 1]!;
    return {
      id,
      at: Number(id.split('-')[0]),
      kind: f.kind === 'linked-gift' ? 'linked-gift' : 'linked-accounts',
      userId: f.userId ?? '',
      linkedUserId: f.linkedUserId ?? '',
      via: f.via ?? '',
      ...(f.giftEventId ? { giftEventId: f.giftEventId, coins: Number(f.coins ?? 0) } : {}),
    };
  });
  return { items, nextCursor: rows.length > limit ? items[items.length - 1]!.id : null };
}
