import type { Config } from '../../config';
import { sandboxProvider } from './sandbox';

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

/** The provider named by PAYMENT_PROVIDER. New providers are added here and to the config enum. */
export function paymentProviderFor(config: Pick<Config, 'paymentProvider'>): PaymentProvider {
  switch (config.paymentProvider) {
    case 'sandbox':
      return sandboxProvider;
  }
}
