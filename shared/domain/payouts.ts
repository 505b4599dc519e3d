import { GiftwireError } from '../contracts/errors';
import type { Page } from '../contracts/common';
import { PAYOUT_STATUSES, type Payout } from '../contracts/models';
import type { User } from '../contracts/users';
import type { CreatePayoutBody } from '../contracts/payouts';
import { mintId, userShard, USER_SHARDS } from '../redis/keys';
import { interpret, script } from '../redis/scripts';
import type { Config } from '../config';
import type { Deps } from './deps';
import type { PayoutProvider } from './payments/payout-provider';
import { assertEligibleCreator } from './users';
import { payoutDestinationFor } from './payout-destinations';
import { newWebhookEventId, webhookOutboxOf, webhookOwner } from './webhooks-outbox';

/** A payout as stored (`payout:<id>`), which is also what the API shows: the contract's fields plus times. */
export interface PayoutRecord extends Payout {
  userId: string;
  destination: string;
  createdAt: number;
}

function fromHash(h: Record<string, string>): PayoutRecord | null {
  if (!h.id) return null;
  return {
    id: h.id,
    userId: h.userId ?? '',
    diamonds: Number(h.diamonds),
    amountCents: Number(h.amountCents),
    currency: h.currency ?? '',
    status: PAYOUT_STATUSES.find((x) => x === h.status) ?? 'pending',
    destination: h.destination ?? '',
    createdAt: Number(h.createdAt),
    ...(h.paidAt ? { paidAt: Number(h.paidAt) } : {}),
    ...(h.failedAt ? { failedAt: Number(h.failedAt) } : {}),
  };
}

/** The API's view: the owner is the caller, so userId is left out. */
export function publicPayout(p: PayoutRecord): Payout {
  const { userId: _owner, ...rest } = p;
  return rest;
}

/** floor(diamonds × cents-per-diamond), in integers (the ratio is num/den; both operands stay far below 2^53). */
export function payoutAmountCents(config: Pick<Config, 'payoutCentsPerDiamond'>, diamonds: number): number {
  const { num, den } = config.payoutCentsPerDiamond;
  return Math.floor((diamonds * num) / den);
}

/**
 * Requests a payout: eligibility first (adult, eligible creator, a registered destination usable now), then one
 * script decides everything else (idempotency, minimum, withdrawable balance, the daily cap, whether it waits for
 * review) and moves the diamonds out of the balance at once.
 */
export async function requestPayout(
  deps: Deps,
  user: User,
  body: CreatePayoutBody,
  idempotencyKey: string,
): Promise<{ payout: Payout; replay: boolean }> {
  assertEligibleCreator(deps, user);
  const destination = await payoutDestinationFor(deps, user.id, body.destination);
  const id = mintId(userShard(user.id));
  const k = deps.keys;
  const c = deps.config;
  // The resolved destination is part of the fingerprint: `{ diamonds }` and `{ diamonds, destination: d }` are the
  // same request when d is the destination an omitted one resolves to.
  const fingerprint = JSON.stringify({ route: 'payout', diamonds: body.diamonds, destination });
  const r = interpret(
    await script(deps.redis, 'payoutRequest')(
      k.wallet(user.id),
      k.idem(user.id, idempotencyKey),
      k.payout(id),
      k.txs(user.id),
      k.payouts(user.id),
      k.payoutsPending(userShard(user.id)),
      k.earningsHold(user.id),
      id,
      user.id,
      body.diamonds,
      payoutAmountCents(c, body.diamonds),
      c.payoutCurrency,
      destination,
      fingerprint,
      c.idempotencyTtlSec * 1000,
      c.payoutMinDiamonds,
      c.payoutDailyMaxDiamonds ?? '',
      c.payoutReviewDiamonds ?? '',
      '0',
    ),
  );
  const p = JSON.parse(String(r.payload[0])) as Record<string, string>;
  const payout: Payout & { destination: string; createdAt: number } = {
    id: p.id!,
    diamonds: Number(p.diamonds),
    amountCents: Number(p.amountCents),
    currency: p.currency!,
    status: p.status === 'review' ? 'review' : 'pending',
    destination: p.destination!,
    createdAt: Number(p.createdAt),
  };
  return { payout, replay: r.status === 'REPLAY' };
}

export async function findPayout(deps: Deps, id: string): Promise<PayoutRecord | null> {
  return fromHash(await deps.redis.hgetall(deps.keys.payout(id)));
}

/** The user's payouts, newest first; the cursor is the last item's sequence number. */
export async function listPayouts(deps: Deps, userId: string, limit = 20, cursor?: string): Promise<Page<Payout>> {
  const max = cursor === undefined ? '+inf' : `(${cursor}`;
  const rows = await deps.redis.zrevrangebyscore(
    deps.keys.payouts(userId),
    max,
    '-inf',
    'WITHSCORES',
    'LIMIT',
    0,
    limit + 1,
  );
  const ids: string[] = [];
  const seqs: string[] = [];
  for (let i = 0; i < rows.length; i += 2) {
    ids.push(rows[i]!);
    seqs.push(rows[i + 1]!);
  }
  const page = ids.slice(0, limit);
  const p = deps.redis.pipeline();
  for (const id of page) p.hgetall(deps.keys.payout(id));
  const res = (await p.exec()) ?? [];
  const items = res
    .map(([, h]) => fromHash((h ?? {}) as Record<string, string>))
    .filter((x): x is PayoutRecord => x !== null)
    .map(publicPayout);
  return { items, nextCursor: ids.length > limit ? seqs[limit - 1]! : null };
}

/** Records the provider's verdict; a payout already paid or failed stays as it is. Returns the final status. */
export async function resolvePayout(
  deps: Deps,
  payout: PayoutRecord,
  outcome: 'paid' | 'failed',
  note: string,
): Promise<string> {
  const k = deps.keys;
  const r = interpret(
    await script(deps.redis, 'payoutResolve')(
      k.payout(payout.id),
      k.wallet(payout.userId),
      k.payoutsPending(userShard(payout.userId)),
      webhookOutboxOf(deps, webhookOwner.user(payout.userId)),
      payout.id,
      payout.userId,
      outcome,
      note,
      newWebhookEventId(),
    ),
  );
  return String(r.payload[0]);
}

/**
 * The payout worker's step: a pending payout goes to the provider (with its id as the idempotency key) and the
 * verdict is recorded. Running it again for a resolved payout changes nothing. Provider errors propagate (retry).
 */
export async function processPayout(deps: Deps, provider: PayoutProvider, payoutId: string): Promise<string> {
  const payout = await findPayout(deps, payoutId);
  if (!payout) throw new GiftwireError('NOT_FOUND', `No payout ${payoutId}.`);
  if (payout.status !== 'pending') return payout.status;
  const verdict = await provider.send({
    payoutId: payout.id,
    destination: payout.destination,
    amountCents: payout.amountCents,
    currency: payout.currency,
  });
  const note = verdict.status === 'paid' ? verdict.reference : verdict.reason;
  return resolvePayout(deps, payout, verdict.status, note);
}

/**
 * Pending payouts requested before `olderThan` (ms), oldest first within each user shard, at most `max` in all:
 * the sweeper enqueues them again.
 */
export async function stalePendingPayouts(deps: Deps, olderThan: number, max: number): Promise<string[]> {
  const perShard = await Promise.all(
    Array.from({ length: USER_SHARDS }, (_, shard) =>
      deps.redis.zrangebyscore(deps.keys.payoutsPending(shard), '-inf', olderThan, 'LIMIT', 0, max),
    ),
  );
  return perShard.flat().slice(0, max);
}

/**
 * An operator's decision on a payout in review (one script: approve makes it pending for the payout worker, reject
 * gives the diamonds back). The same decision again answers as the first did; the opposite one, or either on a
 * payout that never was in review, is CONFLICT.
 */
export async function reviewPayout(
  deps: Deps,
  payoutId: string,
  action: 'approve' | 'reject',
): Promise<{ payout: PayoutRecord; replay: boolean }> {
  const found = await findPayout(deps, payoutId);
  if (!found) throw new GiftwireError('NOT_FOUND', 'No such payout.');
  const k = deps.keys;
  const r = interpret(
    await script(deps.redis, 'payoutReview')(
      k.payout(payoutId),
      k.wallet(found.userId),
      k.payoutsPending(userShard(found.userId)),
      payoutId,
      action,
    ),
  );
  return { payout: (await findPayout(deps, payoutId))!, replay: r.status === 'REPLAY' };
}
