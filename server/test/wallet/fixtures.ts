import type { User } from '../../../shared/contracts/users';
import type { Deps } from '../../../shared/domain/deps';
import { startStream } from '../../../shared/domain/streams';
import { outboxEntries } from '../../../shared/runtime/sweeper';
import { testAdult } from '../../../shared/testing/money';
import { walletRecord, type WalletRecord } from '../../../shared/domain/wallet';

/** Domain-level fixtures for wallet stories: live streams, wallets, snapshots (people: shared/testing/money.ts). */

export async function liveStream(deps: Deps): Promise<{ creator: User; streamId: string }> {
  const creator = await testAdult(deps);
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
