import { v4 as uuidv4 } from 'uuid';
import { GiftwireError } from '../contracts/errors';
import { DEFAULT_PAYOUT_DESTINATION, type PayoutDestination } from '../contracts/payouts';
import type { User } from '../contracts/users';
import { redisNow } from './clock';
import type { Deps } from './deps';
import { assertEligibleCreator } from './users';
import { recordLink } from './fraud';

/**
 * Where a creator's payouts may go: accounts they registered, each usable PAYOUT_DESTINATION_COOLDOWN_SEC after
 * it was added, so a stolen token cannot add its own account and cash out at once. Kept in the creator's shard
 * (a hash destination -> record); destinations are only ever added, so a check outside the payout script cannot
 * be overtaken by a removal.
 */
interface StoredDestination extends PayoutDestination {
  createdAt: number;
}

async function all(deps: Deps, userId: string): Promise<StoredDestination[]> {
  const h = await deps.redis.hgetall(deps.keys.payoutDestinations(userId));
  return Object.values(h)
    .map((v) => JSON.parse(v) as StoredDestination)
    .sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? 1 : -1));
}

const pub = ({ id, destination, usableAt }: StoredDestination): PayoutDestination => ({ id, destination, usableAt });

/** Adds a destination; adding one already registered returns it as it was (its cooldown does not restart). */
export async function addPayoutDestination(deps: Deps, user: User, destination: string): Promise<PayoutDestination> {
  assertEligibleCreator(deps, user);
  const now = await redisNow(deps);
  const record: StoredDestination = {
    id: uuidv4(),
    destination,
    usableAt: now + deps.config.payoutDestinationCooldownSec * 1000,
    createdAt: now,
  };
  const key = deps.keys.payoutDestinations(user.id);
  await deps.redis.hsetnx(key, destination, JSON.stringify(record));
  await recordLink(deps, user.id, 'destination', destination);
  return pub(JSON.parse((await deps.redis.hget(key, destination))!) as StoredDestination);
}

/** Newest first. */
export async function listPayoutDestinations(deps: Deps, userId: string): Promise<PayoutDestination[]> {
  return (await all(deps, userId)).map(pub);
}

/**
 * The destination a payout goes to: the one named, which must be registered and usable now, or, when none is
 * named, the most recent usable one. Outside production, a creator with none registered may use the sandbox
 * default (`acct_ok`, named or not). Anything else is NOT_ELIGIBLE.
 */
export async function payoutDestinationFor(deps: Deps, userId: string, named: string | undefined): Promise<string> {
  const [registered, now] = await Promise.all([all(deps, userId), redisNow(deps)]);
  if (registered.length === 0 && deps.config.env !== 'production') {
    if (named === undefined || named === DEFAULT_PAYOUT_DESTINATION) return DEFAULT_PAYOUT_DESTINATION;
  }
  const usable = registered.filter((d) => d.usableAt <= now);
  const chosen = named === undefined ? usable[0] : usable.find((d) => d.destination === named);
  if (chosen) return chosen.destination;
  const waiting = registered.find((d) => named === undefined || d.destination === named);
  throw new GiftwireError(
    'NOT_ELIGIBLE',
    waiting
      ? `That payout destination is usable from ${new Date(waiting.usableAt).toISOString()}.`
      : 'Payouts go only to a registered payout destination (POST /v1/payout-destinations).',
  );
}
