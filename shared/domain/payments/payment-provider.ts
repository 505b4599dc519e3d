import { createHash } from 'node:crypto';
import type { Config } from '../../config';

/**
 * The payment step of a recharge, behind one interface so a real provider can be plugged in. Built like the payout
 * provider (payout-provider.ts): a request, a verdict `{ status }`, a sandbox, and `…ProviderFor(config)`.
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

export type ChargeVerdict = { status: 'charged'; chargeId: string } | { status: 'declined'; reason: string };

export interface PaymentProvider {
  readonly name: string;
  /** Resolves with the outcome; rejects only when the provider cannot be reached (the recharge is then UNAVAILABLE). */
  charge(req: ChargeRequest): Promise<ChargeVerdict>;
}

/**
 * The built-in sandbox: `tok_ok` is charged, `tok_declined` (and any other token) is declined. Charge ids derive
 * from the idempotency key, as a real provider's idempotent replay would return the same charge.
 */
export const sandboxPaymentProvider: PaymentProvider = {
  name: 'sandbox',
  async charge(req: ChargeRequest): Promise<ChargeVerdict> {
    if (req.token !== 'tok_ok') {
      return {
        status: 'declined',
        reason: req.token === 'tok_declined' ? 'The card was declined.' : 'Unknown sandbox payment token.',
      };
    }
    const digest = createHash('sha256').update(`${req.userId}\n${req.idempotencyKey}`).digest('hex').slice(0, 24);
    return { status: 'charged', chargeId: `ch_sandbox_${digest}` };
  },
};

/** The provider named by PAYMENT_PROVIDER. New providers are added here and to the config enum. */
export function paymentProviderFor(config: Pick<Config, 'paymentProvider'>): PaymentProvider {
  switch (config.paymentProvider) {
    case 'sandbox':
      return sandboxPaymentProvider;
  }
}
