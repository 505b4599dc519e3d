import { randomUUID } from 'node:crypto';
import type { User } from '../../../shared/contracts/users';
import type { Deps } from '../../../shared/domain/deps';
import { recharge } from '../../../shared/domain/recharges';
import { startStream } from '../../../shared/domain/streams';
import { outboxEntries } from '../../../shared/domain/sweeper';
import { createUser } from '../../../shared/domain/users';
import { walletRecord, type WalletRecord } from '../../../shared/domain/wallet';

/** Domain-level fixtures for wallet stories: adults, funded viewers, live streams. */

let n = 0;
export function adult(
  deps: Deps,
  over: Partial<{ displayName: string; birthDate: string; verified: boolean }> = {},
): Promise<User> {
  n += 1;
  return createUser(deps, { displayName: `fan${n}`, birthDate: '1990-05-05', verified: true, ...over });
}

/** A viewer who bought `coins` coins through the sandbox provider. */
export async function fundedViewer(deps: Deps, coins: number): Promise<User> {
  const user = await adult(deps);
  await topUp(deps, user, coins);
  return user;
}

export async function topUp(deps: Deps, user: User, coins: number): Promise<void> {
  for (let left = coins; left > 0; left -= 1_000_000) {
    await recharge(deps, {
      user,
      body: { coins: Math.min(left, 1_000_000), payment: { token: 'tok_ok' } },
      idempotencyKey: randomUUID(),
    });
  }
}

export async function liveStream(deps: Deps): Promise<{ creator: User; streamId: string }> {
  const creator = await adult(deps);
  const stream = await startStream(deps, creator.id, 'tonight');
  return { creator, streamId: stream.id };
}

export async function walletOf(deps: Deps, userId: string): Promise<WalletRecord> {
  return walletRecord(await deps.redis.hgetall(deps.keys.wallet(userId)));
}

/** Everything a rejected request must leave untouched, for before/after comparisons. */
export async function moneySnapshot(deps: Deps, userIds: string[], streamId?: string): Promise<unknown> {
  const wallets = await Promise.all(userIds.map((id) => deps.redis.hgetall(deps.keys.wallet(id))));
  const txs = await Promise.all(userIds.map((id) => deps.redis.zrange(deps.keys.txs(id), 0, -1)));
  const stream = streamId ? await deps.redis.hgetall(deps.keys.stream(streamId)) : null;
  const board = streamId ? await deps.redis.zrange(deps.keys.lbStream(streamId), 0, -1) : null;
  return {
    wallets,
    txs,
    stream,
    board,
    outbox: await outboxEntries(deps),
  };
}
