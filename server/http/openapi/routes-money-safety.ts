import { z } from 'zod';
import { uuid } from '../../../shared/contracts/common';
import { suspendBody } from '../../../shared/contracts/users';
import { createDestinationBody } from '../../../shared/contracts/payouts';
import { auditQuery } from '../routes/accounts';
import { payout, user } from './models';
import type { RouteDoc } from './route-doc';

const ms = z.number().int();
const listOf = z.object({ items: z.array(z.record(z.string(), z.unknown())), nextCursor: z.string().nullable() });
const destination = z.object({ id: z.string(), destination: z.string(), usableAt: ms });
const chargeback = z.object({
  rechargeId: z.string(),
  userId: z.string(),
  coins: z.number().int(),
  recoveredCoins: z.number().int(),
  voidedGifts: z.number().int(),
  clawedBackDiamonds: z.number().int(),
  unrecoveredCoins: z.number().int(),
});

/** Accounts and money safety (contract v1.1): suspension, revocation, chargebacks, destinations, payout review. */
export const moneySafetyRoutes: RouteDoc[] = [
  {
    method: 'post',
    path: '/v1/admin/users/:id/suspend',
    tag: 'Operator',
    summary: 'Suspend a user: no recharges, gifts, going live, battles or payouts; their live stream ends',
    auth: 'operator',
    params: { id: uuid },
    body: suspendBody,
    ok: { status: 200, description: 'The user, suspended', schema: z.object({ user }) },
    errors: ['UNAUTHORIZED', 'NOT_FOUND'],
  },
  {
    method: 'post',
    path: '/v1/admin/users/:id/unsuspend',
    tag: 'Operator',
    summary: 'Lift a suspension',
    auth: 'operator',
    params: { id: uuid },
    ok: { status: 200, description: 'The user, no longer suspended', schema: z.object({ user }) },
    errors: ['UNAUTHORIZED', 'NOT_FOUND'],
  },
  {
    method: 'post',
    path: '/v1/admin/users/:id/revoke-tokens',
    tag: 'Operator',
    summary: 'Refuse every token of the user issued up to now (to the millisecond)',
    auth: 'operator',
    params: { id: uuid },
    ok: { status: 200, description: 'The instant of the revocation', schema: z.object({ revokedAt: ms }) },
    errors: ['UNAUTHORIZED', 'NOT_FOUND'],
  },
  {
    method: 'post',
    path: '/v1/admin/recharges/:id/chargeback',
    tag: 'Operator',
    summary: 'Record that the payment provider reversed a recharge (idempotent); the buyer is suspended',
    auth: 'operator',
    params: { id: uuid },
    ok: { status: 200, description: 'What was recovered and what was lost', schema: z.object({ chargeback }) },
    errors: ['UNAUTHORIZED', 'NOT_FOUND'],
  },
  {
    method: 'get',
    path: '/v1/admin/chargebacks',
    tag: 'Operator',
    summary: 'The report of chargebacks and the platform losses they booked',
    auth: 'operator',
    ok: { status: 200, description: 'Chargebacks and totals', schema: z.record(z.string(), z.unknown()) },
    errors: ['UNAUTHORIZED'],
  },
  {
    method: 'get',
    path: '/v1/admin/flags',
    tag: 'Operator',
    summary: 'Fraud signals: linked accounts, gifts from accounts linked to the receiving creator',
    auth: 'operator',
    query: auditQuery,
    ok: { status: 200, description: 'Flags, newest first', schema: listOf },
    errors: ['UNAUTHORIZED'],
  },
  {
    method: 'get',
    path: '/v1/admin/audit',
    tag: 'Operator',
    summary: 'The audit log of operator actions: who, when, what',
    auth: 'operator',
    query: auditQuery,
    ok: { status: 200, description: 'Entries, newest first', schema: listOf },
    errors: ['UNAUTHORIZED'],
  },
  {
    method: 'post',
    path: '/v1/payout-destinations',
    tag: 'Payouts',
    summary: 'Register a payout destination (usable after PAYOUT_DESTINATION_COOLDOWN_SEC)',
    auth: 'user',
    body: createDestinationBody,
    ok: { status: 201, description: 'The destination', schema: z.object({ destination }) },
    errors: ['UNAUTHORIZED', 'AGE_RESTRICTED', 'ACCOUNT_SUSPENDED', 'NOT_ELIGIBLE'],
  },
  {
    method: 'get',
    path: '/v1/payout-destinations',
    tag: 'Payouts',
    summary: "The caller's payout destinations",
    auth: 'user',
    ok: { status: 200, description: 'Destinations', schema: z.object({ items: z.array(destination) }) },
    errors: ['UNAUTHORIZED'],
  },
  ...(['approve', 'reject'] as const).map((action): RouteDoc => ({
    method: 'post',
    path: `/v1/admin/payouts/:id/${action}`,
    tag: 'Operator',
    summary:
      action === 'approve'
        ? 'Approve a payout in review: it becomes pending and the worker pays it'
        : 'Reject a payout in review: its diamonds go back to the creator',
    auth: 'operator',
    params: { id: uuid },
    ok: { status: 200, description: 'The payout', schema: z.object({ payout }) },
    errors: ['UNAUTHORIZED', 'NOT_FOUND', 'CONFLICT'],
  })),
];
