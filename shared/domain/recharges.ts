import { createHash, randomUUID } from 'node:crypto';
import { GiftwireError } from '../contracts/errors';
import type { Recharge, Wallet } from '../contracts/models';
import type { User } from '../contracts/users';
import type { RechargeBody } from '../contracts/wallet';
import { mintId, userShard } from '../redis/keys';
import { interpret, script } from '../redis/scripts';
import { findPackage, priceCustomAmount } from './catalog';
import type { Deps } from './deps';
import { crashPoint } from './crash-points';
import { recordLink } from './fraud';
import { paymentProviderFor, type ChargeVerdict, type PaymentProvider } from './payments/payment-provider';
import { isAdult } from './users';
import { snapshotWallet } from './wallet';
import { newWebhookEventId, webhookOutboxOf, webhookOwner } from './webhooks-outbox';

export interface RechargeInput {
  user: User;
  body: RechargeBody;
  idempotencyKey: string;
  now?: number;
}

export interface RechargeResponse {
  recharge: Recharge;
  wallet: Wallet;
}

export interface RechargeOutcome {
  response: RechargeResponse;
  /** True when the key already held this request's answer: nothing was charged or credited this time. */
  replay: boolean;
}

/**
 * Buys coins, like the best payment APIs treat an Idempotency-Key:
 * - the key (per user) binds only on success, to a fingerprint of the body; a repeat returns the stored first
 *   answer, another body is IDEMPOTENCY_CONFLICT;
 * - before calling the provider the request claims an in-flight lock on the key, so concurrent repeats wait for the
 *   first and return its answer (or claim the key themselves when the first failed) instead of charging twice;
 * - the credit is one Lua script guarded by the idempotency record: run twice, it credits once.
 */
export async function recharge(
  deps: Deps,
  input: RechargeInput,
  provider: PaymentProvider = paymentProviderFor(deps),
): Promise<RechargeOutcome> {
  const now = input.now ?? Date.now();
  const { user, body, idempotencyKey } = input;
  if (!isAdult(deps, user, now)) throw new GiftwireError('AGE_RESTRICTED', 'You must be an adult to buy coins.');
  const price = priceOf(body);
  const fp = fingerprint(body);
  const k = deps.keys;
  const idemKey = k.idem(user.id, idempotencyKey);
  const lockKey = k.idemLock(user.id, idempotencyKey);
  const lockMs = deps.config.idempotencyLockMs;
  const giveUpAt = Date.now() + 2 * lockMs;

  for (;;) {
    const stored = await storedAnswer(deps, idemKey, fp);
    if (stored) return stored;
    const owner = randomUUID();
    if (await claimInFlight(deps, lockKey, owner, lockMs)) {
      try {
        // the first holder may have finished between our read and our claim
        const finished = await storedAnswer(deps, idemKey, fp);
        if (finished) return finished;
        const id = await writeIntent(deps, user.id, idempotencyKey, price, fp);
        const charge = await chargeWithin(provider, lockMs / 2, {
          userId: user.id,
          amountCents: price.priceCents,
          currency: price.currency,
          token: body.payment.token,
          idempotencyKey: id,
          description: `${price.coins} coins`,
        });
        crashPoint(deps, 'charge');
        if (charge.status === 'declined') {
          await abandonIntent(deps, user.id, id, idempotencyKey, charge.reason);
          throw new GiftwireError('PAYMENT_DECLINED', charge.reason);
        }
        const r = await recordCharge(deps, { id, userId: user.id, idempotencyKey, fp, owner, price }, charge.chargeId);
        if (charge.fingerprint) await recordLink(deps, user.id, 'payment', charge.fingerprint);
        const response = responseOf(r.payload[0] as string);
        // a reply lost on a dropped connection is re-sent by ioredis and answers REPLAY with our own recharge
        return { response, replay: r.status === 'REPLAY' && response.recharge.id !== id };
      } finally {
        await script(deps.redis, 'idemUnlock')(lockKey, owner);
      }
    }
    if (Date.now() > giveUpAt) {
      throw new GiftwireError('CONFLICT', 'A request with this Idempotency-Key is still in progress; retry later.');
    }
    await new Promise((r) => setTimeout(r, 10 + Math.random() * 20));
  }
}

/**
 * Claims the in-flight lock. `SET … NX GET` answers the value that was there: ioredis re-sends a command that was in
 * flight when its connection dropped, and if the first send landed, the re-send finds our own owner, which is a
 * claim, not someone else's request (a plain NX answered null there, and the request waited for itself).
 */
async function claimInFlight(deps: Deps, lockKey: string, owner: string, lockMs: number): Promise<boolean> {
  const prev = await deps.redis.set(lockKey, owner, 'PX', lockMs, 'NX', 'GET');
  return prev === null || prev === owner;
}

/**
 * The recharge's intent, written before the provider is called (a Redis that refuses writes refuses the recharge
 * before any charge): its id, which the provider gets as its idempotency key, is kept for the key while the intent
 * is open, so a retry is the same charge.
 */
async function writeIntent(deps: Deps, userId: string, key: string, price: Price, fp: string): Promise<string> {
  const k = deps.keys;
  const write = (id: string) =>
    script(deps.redis, 'rechargeIntent')(
      k.rechargeIntent(userId, key),
      k.recharge(id),
      k.rechargesCharging(userShard(userId)),
      id,
      userId,
      price.coins,
      price.priceCents,
      price.currency,
      price.packageId,
      fp,
      key,
      deps.config.idempotencyTtlSec * 1000,
    );
  const r = interpret(await write(mintId(userShard(userId))));
  // an open intent of this key (a retry after a crash or a timeout): its id, written down again (idempotent)
  return r.status === 'REPLAY' ? String(interpret(await write(String(r.payload[0]))).payload[0]) : String(r.payload[0]);
}

export async function abandonIntent(deps: Deps, userId: string, id: string, key: string, reason: string) {
  const k = deps.keys;
  await script(deps.redis, 'rechargeAbandon')(
    k.recharge(id),
    k.rechargesCharging(userShard(userId)),
    k.rechargeIntent(userId, key),
    id,
    reason,
  );
}

export interface ChargedIntent {
  id: string;
  userId: string;
  idempotencyKey: string;
  fp: string;
  /** The in-flight lock owner to release (the sweep holds none: '' ). */
  owner: string;
  price: Price;
}

/** Credits a charged recharge: one script with its idempotency record (the request's, or the sweep's for it). */
export async function recordCharge(deps: Deps, c: ChargedIntent, chargeId: string) {
  const k = deps.keys;
  return interpret(
    await script(deps.redis, 'recharge')(
      k.idem(c.userId, c.idempotencyKey),
      k.idemLock(c.userId, c.idempotencyKey),
      k.wallet(c.userId),
      k.recharge(c.id),
      k.txs(c.userId),
      k.rechargesCharging(userShard(c.userId)),
      webhookOutboxOf(deps, webhookOwner.user(c.userId)),
      c.fp,
      deps.config.idempotencyTtlSec * 1000,
      c.owner,
      c.id,
      c.userId,
      c.price.coins,
      c.price.priceCents,
      c.price.currency,
      c.price.packageId,
      chargeId,
      newWebhookEventId(),
    ),
  );
}

export interface Price {
  coins: number;
  priceCents: number;
  currency: string;
  packageId: string;
}

function priceOf(body: RechargeBody): Price {
  if (body.packageId !== undefined) {
    const pkg = findPackage(body.packageId);
    if (!pkg) throw new GiftwireError('NOT_FOUND', 'No such coin package.');
    return { coins: pkg.coins, priceCents: pkg.priceCents, currency: pkg.currency, packageId: pkg.id };
  }
  const coins = body.coins!;
  return { coins, ...priceCustomAmount(coins), packageId: '' };
}

/** What makes two requests "the same": what is bought and with which payment token (hashed: tokens are not kept). */
function fingerprint(body: RechargeBody): string {
  const what = JSON.stringify(['recharge', body.packageId ?? null, body.coins ?? null, body.payment.token]);
  return createHash('sha256').update(what).digest('hex');
}

async function storedAnswer(deps: Deps, idemKey: string, fp: string): Promise<RechargeOutcome | null> {
  const stored = await deps.redis.get(idemKey);
  if (!stored) return null;
  const rec = JSON.parse(stored) as { fp: string; res: string };
  if (rec.fp !== fp) throw new GiftwireError('IDEMPOTENCY_CONFLICT');
  return { response: responseOf(rec.res), replay: true };
}

function responseOf(res: string): RechargeResponse {
  const r = JSON.parse(res) as Record<string, string>;
  return {
    recharge: {
      id: r.rechargeId!,
      coins: Number(r.rechargeCoins),
      priceCents: Number(r.priceCents),
      currency: r.currency!,
      status: 'succeeded',
    },
    wallet: snapshotWallet(r),
  };
}

/** A provider that does not answer in time is UNAVAILABLE; the key stays unbound so the client may retry it. */
async function chargeWithin(
  provider: PaymentProvider,
  ms: number,
  req: Parameters<PaymentProvider['charge']>[0],
): Promise<ChargeVerdict> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new GiftwireError('UNAVAILABLE', 'The payment provider did not answer in time.')),
      ms,
    );
  });
  try {
    return await Promise.race([provider.charge(req), timeout]);
  } catch (err) {
    if (err instanceof GiftwireError) throw err;
    throw new GiftwireError('UNAVAILABLE', 'The payment provider could not be reached.');
  } finally {
    clearTimeout(timer);
  }
}
