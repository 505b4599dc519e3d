import type { Config } from '../../config';
import { createHash } from 'node:crypto';

/**
 * The payment step of a recharge, behind one interface so a real provider can be plugged in.
 *
 * `idempotencyKey` is forwarded to the provider (scoped per user): a real provider must treat a repeat of the same
 * key as the same charge, so a recharge retried after a crash between the charge and the credit is charged once.
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

export type ChargeResult = { ok: true; chargeId: string } | { ok: false; reason: string };

export interface PaymentProvider {
  readonly name: string;
  /** Resolves with the outcome; rejects only when the provider cannot be reached (the recharge is then UNAVAILABLE). */
  charge(req: ChargeRequest): Promise<ChargeResult>;
}

/**
 * The built-in sandbox: `tok_ok` is charged, `tok_declined` (and any other token) is declined. Charge ids derive
 * from the idempotency key, as a real provider's idempotent replay would return the same charge.
 */
export const sandboxProvider: PaymentProvider = {
  name: 'sandbox',
  async charge(req: ChargeRequest): Promise<ChargeResult> {
    if (req.token !== 'tok_ok') {
      return {
        ok: false,
        reason: req.token === 'tok_declined' ? 'The card was declined.' : 'Unknown sandbox payment token.',
      };
    }
    const digest = createHash('sha256').update(`${req.userId}\n${req.idempotencyKey}`).digest('hex').slice(0, 24);
    return { ok: true, chargeId: `ch_sandbox_${digest}` };
  },
};

/** The provider named by PAYMENT_PROVIDER. New providers are added here and to the config enum. */
export function paymentProviderFor(config: Pick<Config, 'paymentProvider'>): PaymentProvider {
  switch (config.paymentProvider) {
    case 'sandbox':
      return sandboxProvider;
  }
}
