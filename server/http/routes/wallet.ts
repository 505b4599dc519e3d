import { Router } from 'express';
import { parse } from '../../../shared/contracts/validate';
import {
  idempotencyKeyHeader,
  rechargeBody,
  transactionsQuery,
  walletLimitsBody,
} from '../../../shared/contracts/wallet';
import { paymentProviderFor, type PaymentProvider } from '../../../shared/domain/payments/payment-provider';
import { recharge } from '../../../shared/domain/recharges';
import { listTransactions } from '../../../shared/domain/transactions';
import { getWallet, lowerDailyLimit } from '../../../shared/domain/wallet';
import type { ServerContext } from '../../context';
import { authActiveUser, authUser } from '../middleware/auth';

/** The caller's own wallet: balance, recharges, self-imposed limit, history. Input is parsed before identity. */
export function walletRoutes(ctx: ServerContext, provider: PaymentProvider = paymentProviderFor(ctx)): Router {
  const r = Router();
  r.get('/v1/wallet', async (req, res) => {
    const user = await authUser(ctx, req);
    res.json(await getWallet(ctx, user.id));
  });

  r.post('/v1/wallet/recharges', async (req, res) => {
    const body = parse(rechargeBody, req.body);
    const idempotencyKey = parse(idempotencyKeyHeader, req.headers['idempotency-key'], 'Idempotency-Key');
    const user = await authActiveUser(ctx, req);
    const { response, replay } = await recharge(ctx, { user, body, idempotencyKey }, provider);
    if (replay) res.setHeader('Idempotent-Replayed', 'true');
    res.status(201).json(response);
  });

  r.patch('/v1/wallet/limits', async (req, res) => {
    const { dailySpendLimitCoins } = parse(walletLimitsBody, req.body);
    const user = await authUser(ctx, req);
    res.json({ wallet: await lowerDailyLimit(ctx, user.id, dailySpendLimitCoins) });
  });

  r.get('/v1/wallet/transactions', async (req, res) => {
    const query = parse(transactionsQuery, req.query, 'query');
    const user = await authUser(ctx, req);
    res.json(await listTransactions(ctx, user.id, query));
  });
  return r;
}
