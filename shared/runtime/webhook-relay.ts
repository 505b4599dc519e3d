import type { Queue } from 'bullmq';
import { webhookEventType, type WebhookEventType } from '../contracts/webhooks';
import type { Deps } from '../domain/deps';
import { wantsEvent, webhookRecords } from '../domain/webhooks';
import { webhookEventData } from '../domain/webhooks-data';
import { openDelivery } from '../domain/webhooks-deliveries';
import { webhookOutboxOf, webhookOwners } from '../domain/webhooks-outbox';
import { enqueueWebhookDeliveries, type WebhookDeliverJob } from './queues';

/** Events one pass takes from one outbox at most (the rest wait for the next pass). */
const RELAY_BATCH = 500;
/** A listed stream or battle that never got created (its start failed) is unlisted once listed this long ago. */
const NEVER_CREATED_MS = 3_600_000;

interface FiledEvent {
  id: string;
  type: WebhookEventType;
  createdAt: number;
  ref: string;
  /** Values of the moment of the event that its record does not keep (lib/webhook-event.lua). */
  snap?: Record<string, unknown>;
}

function parseFiled(member: string): FiledEvent | null {
  try {
    const e = JSON.parse(member) as Partial<FiledEvent>;
    const type = webhookEventType.safeParse(e.type);
    if (typeof e.id !== 'string' || typeof e.ref !== 'string' || !type.success) return null;
    const snap = e.snap && typeof e.snap === 'object' ? e.snap : undefined;
    return { id: e.id, type: type.data, createdAt: Number(e.createdAt), ref: e.ref, ...(snap ? { snap } : {}) };
  } catch {
    return null;
  }
}

/**
 * The webhooks relay (a repeatable job of the workers): moves every filed event out of every outbox into delivery
 * jobs, one per webhook that wants its type. Events no webhook wants are dropped here, at the cost of one ZADD in
 * the script that filed them. The order of the steps makes a crash anywhere safe: deliveries are opened and
 * queued (both no-ops the second time) before the event leaves its outbox, so a relay killed in between relays it
 * again and nothing is lost; a receiver may then get it twice (at least once: receivers dedupe by id).
 */
export async function relayWebhookEvents(deps: Deps, queue: Queue): Promise<{ events: number; deliveries: number }> {
  const owners = await webhookOwners(deps);
  const batches = await Promise.all(
    owners.map((owner) => deps.redis.zrange(webhookOutboxOf(deps, owner), 0, RELAY_BATCH - 1)),
  );
  // read after the outboxes: a webhook registered before an event was filed is seen by the pass that relays it
  const hooks = await webhookRecords(deps);
  let events = 0;
  let deliveries = 0;
  for (const [i, owner] of owners.entries()) {
    const members = batches[i]!;
    if (members.length === 0) {
      await unlistIfClosed(deps, owner);
      continue;
    }
    // one outbox's events are built and opened concurrently (round trips overlap); each step is idempotent
    const perEvent = await Promise.all(
      members.map(async (member): Promise<WebhookDeliverJob[]> => {
        const event = parseFiled(member);
        const targets = event ? hooks.filter((h) => wantsEvent(h, event.type) && h.createdAt <= event.createdAt) : [];
        if (!event || targets.length === 0) return [];
        const data = await webhookEventData(deps, event.type, event.ref, event.snap);
        if (!data) return [];
        const body = JSON.stringify({ id: event.id, type: event.type, createdAt: event.createdAt, data });
        await Promise.all(targets.map((hook) => openDelivery(deps, hook.id, event, body)));
        return targets.map((hook) => ({ webhookId: hook.id, eventId: event.id }));
      }),
    );
    const jobs = perEvent.flat();
    await enqueueWebhookDeliveries(deps, queue, jobs);
    await deps.redis.zrem(webhookOutboxOf(deps, owner), ...members);
    events += members.length;
    deliveries += jobs.length;
  }
  return { events, deliveries };
}

/**
 * Unlists a stream or battle whose outbox can receive nothing more: closed (its last event, stream.ended or
 * battle.ended, is filed by the very script that closes it) and empty, read in that order, so an event filed by
 * the closing script is always seen before the owner goes. Listing again later (a repeated end) lists it anew.
 */
async function unlistIfClosed(deps: Deps, owner: string): Promise<void> {
  const k = deps.keys;
  const [kind, id] = [owner.slice(0, 2), owner.slice(2)];
  if (kind !== 's:' && kind !== 'b:') return;
  const status = await (kind === 's:'
    ? deps.redis.hget(k.stream(id), 'status')
    : deps.redis.hget(k.battle(id), 'status'));
  const open = status === 'live' || status === 'pending' || status === 'active';
  if (open) return;
  if (status === null) {
    const listedAt = Number(await deps.redis.zscore(k.webhookOwners, owner));
    if (Date.now() - listedAt < NEVER_CREATED_MS) return;
  }
  if ((await deps.redis.zcard(webhookOutboxOf(deps, owner))) > 0) return;
  await deps.redis.zrem(k.webhookOwners, owner);
}

/** Events filed and not yet relayed, every outbox (the outbox depth gauge). */
export async function webhookOutboxDepth(deps: Deps): Promise<number> {
  const owners = await webhookOwners(deps);
  const sizes = await Promise.all(owners.map((o) => deps.redis.zcard(webhookOutboxOf(deps, o))));
  return sizes.reduce((a, b) => a + b, 0);
}
