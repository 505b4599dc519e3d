import { createHash } from 'node:crypto';
import type { Deps } from '../deps';

/**
 * The payment step of a recharge, behind one interface so a real provider can be plugged in. Built like the payout
 * provider (payout-provider.ts): a request, a verdict `{ status }`, a sandbox, and `…ProviderFor(deps)`.
 *
 * `idempotencyKey` is the recharge's own id, minted and written down (its intent) before the call: a real provider
 * must treat a repeat of the same key as the same charge, and must be able to say what became of a key (`lookup`),
 * so that the sweep finishes a recharge whose process died between the charge and its record.
 */
export interface ChargeRequest {
  userId: string;
  amountCents: number;
  currency: string;
  /** The client's payment token (`payment.token`), opaque to Giftwire. */
  token: string;
  idempotencyKey: string;
  description: string;
}

/** `fingerprint`: the provider's fingerprint of the card or account that paid, when it gives one (fraud signals). */
export type ChargeVerdict =
  { status: 'charged'; chargeId: string; fingerprint?: string } | { status: 'declined'; reason: string };

export interface PaymentProvider {
  readonly name: string;
  /** Resolves with the outcome; rejects only when the provider cannot be reached (the recharge is then UNAVAILABLE). */
  charge(req: ChargeRequest): Promise<ChargeVerdict>;
  /** What became of the charge with that idempotency key; null when the provider never saw it. */
  lookup(req: { userId: string; idempotencyKey: string }): Promise<ChargeVerdict | null>;
}

/**
 * The built-in sandbox: `tok_ok` (or `tok_ok_<fingerprint>`) is charged, `tok_declined` (and any other token) is
 * declined. Charge ids derive from the idempotency key, as a real provider's idempotent replay would return the same
 * charge. Like a real provider, it keeps its own records (in Redis, under its own key), so `lookup` can tell.
 */
export function sandboxPaymentProvider(deps: Pick<Deps, 'redis' | 'keys'>): PaymentProvider {
  const ledgerField = (userId: string, key: string) => `${userId}\n${key}`;
  return {
    name: 'sandbox',
    async charge(req: ChargeRequest): Promise<ChargeVerdict> {
      const field = ledgerField(req.userId, req.idempotencyKey);
      const known = await deps.redis.hget(deps.keys.sandboxCharges, field);
      if (known) return JSON.parse(known) as ChargeVerdict;
      let verdict: ChargeVerdict;
      if (req.token === 'tok_ok' || req.token.startsWith('tok_ok_')) {
        const digest = createHash('sha256').update(field).digest('hex').slice(0, 24);
        const fingerprint = req.token.startsWith('tok_ok_') ? req.token.slice('tok_ok_'.length) : undefined;
        verdict = { status: 'charged', chargeId: `ch_sandbox_${digest}`, ...(fingerprint ? { fingerprint } : {}) };
      } else {
        verdict = {
          status: 'declined',
          reason: req.token === 'tok_declined' ? 'The card was declined.' : 'Unknown sandbox payment token.',
        };
      }
      await deps.redis.hsetnx(deps.keys.sandboxCharges, field, JSON.stringify(verdict));
      return JSON.parse((await deps.redis.hget(deps.keys.sandboxCharges, field))!) as ChargeVerdict;
    },
    async lookup(req) {
      const known = await deps.redis.hget(deps.keys.sandboxCharges, ledgerField(req.userId, req.idempotencyKey));
      return known ? (JSON.parse(known) as ChargeVerdict) : null;
    },
  };
}

/** The provider named by PAYMENT_PROVIDER. New providers are added here and to the config enum. */
export function paymentProviderFor(deps: Pick<Deps, 'config' | 'redis' | 'keys'>): PaymentProvider {
  switch (deps.config.paymentProvider) {
    case 'sandbox':
      return sandboxPaymentProvider(deps);
  }
}
