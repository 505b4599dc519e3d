import type { CreatePayoutBody } from '../contracts/payouts';
import type { Payout } from '../contracts/models';
import type { User } from '../contracts/users';
import { requestPayout } from '../domain/payouts';
import { enqueuePayout, QUEUES } from '../runtime/queues';
import type { QueueingDeps } from './context';

/**
 * A creator cashes out: the payout is recorded (diamonds debited) and handed to the payout worker. Enqueued on
 * replays too: if the first request died between its script and the add, the repeat (or the sweeper) hands the
 * payout over; the job id is the payout id, so it is queued once.
 */
export async function cashOut(
  deps: QueueingDeps,
  user: User,
  body: CreatePayoutBody,
  idempotencyKey: string,
): Promise<{ payout: Payout; replay: boolean }> {
  const result = await requestPayout(deps, user, body, idempotencyKey);
  if (result.payout.status === 'pending') await enqueuePayout(deps.queues.get(QUEUES.payouts), result.payout.id);
  return result;
}
