import { randomUUID } from 'node:crypto';
import { idShard, userShard, USER_SHARDS } from '../redis/keys';
import type { Deps } from './deps';

/**
 * Where webhook events are filed: each event goes into the webhooks outbox of the slot whose script made the
 * change it reports (lib/webhook-event.lua), so the event and the change are one atomic step on any Redis Cluster.
 * User shards are a fixed list; streams and battles are listed in `webhookOwners` before the script that may file
 * there, so the relay can find every outbox. Owner tags are the hash tags without braces.
 */
export const webhookOwner = {
  shard: (shard: number) => `u${shard}`,
  user: (userId: string) => `u${userShard(userId)}`,
  /** A record minted in its owner's shard (recharge, payout, gift event): its shard follows from its id. */
  record: (id: string) => `u${idShard(id)}`,
  stream: (streamId: string) => `s:${streamId}`,
  battle: (battleId: string) => `b:${battleId}`,
};

/** The id of a new event; a script that replays files nothing, so an id minted for a replay is simply unused. */
export function newWebhookEventId(): string {
  return randomUUID();
}

/** The outbox key of an owner tag. */
export function webhookOutboxOf(deps: Pick<Deps, 'keys'>, owner: string): string {
  return deps.keys.webhookOutbox(owner);
}

/**
 * Lists a stream or battle as an owner whose outbox the relay reads. Called before the scripts that may file an
 * event there: listing an owner listed already changes nothing (NX keeps its first time).
 */
export async function listWebhookOwner(deps: Pick<Deps, 'keys' | 'redis'>, owner: string): Promise<void> {
  await deps.redis.zadd(deps.keys.webhookOwners, 'NX', Date.now(), owner);
}

/** Every owner whose outbox may hold events: the user shards, then the listed streams and battles. */
export async function webhookOwners(deps: Pick<Deps, 'keys' | 'redis'>): Promise<string[]> {
  const listed = await deps.redis.zrange(deps.keys.webhookOwners, 0, -1);
  return [...Array.from({ length: USER_SHARDS }, (_, n) => webhookOwner.shard(n)), ...listed];
}
