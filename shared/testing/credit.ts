import type { Deps } from '../domain/deps';

/**
 * Test-only: credits coins as a recharge would (coins and purchased together, keeping purchased = coins + held +
 * spent), without going through a payment. Never used by the server.
 */
export async function creditCoins(deps: Pick<Deps, 'redis' | 'keys'>, userId: string, coins: number): Promise<void> {
  await deps.redis.multi().hincrby(deps.keys.wallet(userId), 'coins', coins).hincrby(deps.keys.wallet(userId), 'purchased', coins).exec();
}
