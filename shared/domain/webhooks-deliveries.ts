import { GiftwireError } from '../contracts/errors';
import type { WebhookDelivery, WebhookDeliveryStatus, WebhookEventType } from '../contracts/webhooks';
import { interpret, script } from '../redis/scripts';
import type { Deps } from './deps';

/**
 * The delivery log of each webhook (`GET /v1/admin/webhooks/:id/deliveries`), in the webhook's own slot: one hash
 * per (webhook, event) holding the body every attempt sends, the status and the last attempt.
 */

/** Deliveries are kept this long, and at most this many per webhook (the oldest go first). */
const DELIVERY_TTL_MS = 30 * 86_400_000;
const DELIVERY_LOG_MAX = 10_000;

export interface OpenedDelivery {
  eventId: string;
  type: WebhookEventType;
  createdAt: number;
  body: string;
  status: WebhookDeliveryStatus;
}

/** Opens a delivery (a no-op when it is open already). Returns false when it was open before. */
export async function openDelivery(
  deps: Deps,
  webhookId: string,
  event: { id: string; type: WebhookEventType; createdAt: number },
  body: string,
): Promise<boolean> {
  const k = deps.keys;
  const r = interpret(
    await script(deps.redis, 'webhookDeliveryOpen')(
      k.webhookDeliveries(webhookId),
      k.webhookDelivery(webhookId, event.id),
      event.id,
      event.type,
      event.createdAt,
      body,
      DELIVERY_TTL_MS,
      DELIVERY_LOG_MAX,
    ),
  );
  return r.status === 'OK';
}

export async function findDelivery(deps: Deps, webhookId: string, eventId: string): Promise<OpenedDelivery | null> {
  const h = await deps.redis.hgetall(deps.keys.webhookDelivery(webhookId, eventId));
  if (!h.eventId) return null;
  return {
    eventId: h.eventId,
    type: h.type as WebhookEventType,
    createdAt: Number(h.createdAt),
    body: h.body ?? '',
    status: (h.status ?? 'pending') as WebhookDeliveryStatus,
  };
}

/** Records one attempt; returns the delivery's status after it (null: the delivery is gone). */
export async function recordAttempt(
  deps: Deps,
  webhookId: string,
  eventId: string,
  statusCode: number | null,
  outcome: 'delivered' | 'retry' | 'failed',
): Promise<WebhookDeliveryStatus | null> {
  const r = await script(deps.redis, 'webhookDeliveryAttempt')(
    deps.keys.webhookDelivery(webhookId, eventId),
    statusCode === null ? '' : statusCode,
    outcome,
  );
  return r[0] === 'OK' ? (r[1] as WebhookDeliveryStatus) : null;
}

function deliveryOf(h: Record<string, string>): WebhookDelivery | null {
  if (!h.eventId) return null;
  const optional = (v: string | undefined) => (v ? Number(v) : null);
  return {
    eventId: h.eventId,
    type: h.type as WebhookEventType,
    status: (h.status ?? 'pending') as WebhookDeliveryStatus,
    attempts: Number(h.attempts ?? 0),
    lastStatusCode: optional(h.lastStatusCode),
    lastAttemptAt: optional(h.lastAttemptAt),
  };
}

/** Newest first (by the event's createdAt). */
export async function listDeliveries(deps: Deps, webhookId: string, limit: number): Promise<WebhookDelivery[]> {
  const ids = await deps.redis.zrevrange(deps.keys.webhookDeliveries(webhookId), 0, limit - 1);
  const rows = await Promise.all(ids.map((id) => deps.redis.hgetall(deps.keys.webhookDelivery(webhookId, id))));
  return rows.map(deliveryOf).filter((d): d is WebhookDelivery => d !== null);
}

export async function getDelivery(deps: Deps, webhookId: string, eventId: string): Promise<WebhookDelivery> {
  const d = deliveryOf(await deps.redis.hgetall(deps.keys.webhookDelivery(webhookId, eventId)));
  if (!d) throw new GiftwireError('NOT_FOUND', 'No such delivery.');
  return d;
}

/** Puts a delivery back to pending before a redelivery is queued (its attempts keep counting). */
export async function reopenDelivery(deps: Deps, webhookId: string, eventId: string): Promise<WebhookDelivery> {
  await getDelivery(deps, webhookId, eventId);
  await deps.redis.hset(deps.keys.webhookDelivery(webhookId, eventId), 'status', 'pending');
  return getDelivery(deps, webhookId, eventId);
}
