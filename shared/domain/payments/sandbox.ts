import { createHash } from 'node:crypto';
import type { ChargeRequest, ChargeResult, PaymentProvider } from './provider';

/**
 * The built-in sandbox: `tok_ok` is charged, `tok_declined` (and any other token) is declined. Charge ids derive
 * from the idempotency key, as a real provider's idempotent replay would return the same charge.
 */
export const sandboxProvider: PaymentProvider = {
  name: 'sandbox',
  async charge(req: ChargeRequest): Promise<ChargeResult> {
    if (req.token !== 'tok_ok') {
      return { ok: false, reason: req.token === 'tok_declined' ? 'The card was declined.' : 'Unknown sandbox payment token.' };
    }
    const digest = createHash('sha256').update(`${req.userId}\n${req.idempotencyKey}`).digest('hex').slice(0, 24);
    return { ok: true, chargeId: `ch_sandbox_${digest}` };
  },
};
