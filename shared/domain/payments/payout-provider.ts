import type { Config } from '../../config';

/**
 * Where payouts go. A provider is called with the payout id as its idempotency key: a worker that dies after the
 * provider paid but before recording it calls again with the same id, and a real provider must then answer with
 * the first result instead of paying twice.
 *
 * The verdict is final ('paid' or 'failed'); anything the provider cannot decide yet (timeouts, 5xx) is thrown,
 * and the job is retried with backoff.
 */
export interface PayoutRequest {
  payoutId: string;
  destination: string;
  amountCents: number;
  currency: string;
}

export type PayoutVerdict = { status: 'paid'; reference: string } | { status: 'failed'; reason: string };

export interface PayoutProvider {
  readonly name: string;
  send(request: PayoutRequest): Promise<PayoutVerdict>;
}

/**
 * The built-in sandbox: deterministic, so a repeated call gives the same verdict. `acct_fail` is refused; every
 * other destination (`acct_ok`, the default, included) is paid.
 */
export const sandboxPayoutProvider: PayoutProvider = {
  name: 'sandbox',
  async send(request) {
    if (request.destination === 'acct_fail') return { status: 'failed', reason: 'the account refused the transfer' };
    return { status: 'paid', reference: `sandbox_${request.payoutId}` };
  },
};

/** The provider named by PAYOUT_PROVIDER. New providers are added here and to the config enum. */
export function payoutProviderFor(config: Pick<Config, 'payoutProvider'>): PayoutProvider {
  switch (config.payoutProvider) {
    case 'sandbox':
      return sandboxPayoutProvider;
  }
}
