import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { GiftwireError } from '../contracts/errors';
import type { CreateWebhookBody, Webhook, WebhookEventType, WebhookWithSecret } from '../contracts/webhooks';
import { redisNow } from './clock';
import type { Deps } from './deps';
import { checkWebhookUrl } from './webhooks-ssrf';

/**
 * Operator-registered webhooks (API.md "Webhooks"): one platform hash of records, id -> JSON. The secret is
 * shown once, in the answer to the registration, and signs every delivery.
 */

/** `Giftwire-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">` (Stripe's scheme). */
export function webhookSignature(secret: string, unixSeconds: number, rawBody: string): string {
  const v1 = createHmac('sha256', secret).update(`${unixSeconds}.${rawBody}`).digest('hex');
  return `t=${unixSeconds},v1=${v1}`;
}

export function wantsEvent(webhook: Pick<Webhook, 'events'>, type: WebhookEventType): boolean {
  return webhook.events.includes('*') || webhook.events.includes(type);
}

function publicWebhook(w: WebhookWithSecret): Webhook {
  const { secret: _secret, ...rest } = w;
  return rest;
}

export async function createWebhook(deps: Deps, body: CreateWebhookBody): Promise<WebhookWithSecret> {
  await checkWebhookUrl(deps.config, body.url);
  const webhook: WebhookWithSecret = {
    id: randomUUID(),
    url: body.url,
    events: body.events,
    secret: `whsec_${randomBytes(24).toString('hex')}`,
    createdAt: await redisNow(deps),
  };
  await deps.redis.hset(deps.keys.webhooks, webhook.id, JSON.stringify(webhook));
  return webhook;
}

/** Every webhook with its secret: the relay and the deliveries use these, never an API answer. */
export async function webhookRecords(deps: Deps): Promise<WebhookWithSecret[]> {
  const all = await deps.redis.hvals(deps.keys.webhooks);
  return all.map((json) => JSON.parse(json) as WebhookWithSecret).sort((a, b) => a.createdAt - b.createdAt);
}

export async function listWebhooks(deps: Deps): Promise<Webhook[]> {
  return (await webhookRecords(deps)).map(publicWebhook);
}

export async function findWebhook(deps: Deps, id: string): Promise<WebhookWithSecret | null> {
  const json = await deps.redis.hget(deps.keys.webhooks, id);
  return json ? (JSON.parse(json) as WebhookWithSecret) : null;
}

export async function getWebhook(deps: Deps, id: string): Promise<WebhookWithSecret> {
  const w = await findWebhook(deps, id);
  if (!w) throw new GiftwireError('NOT_FOUND', 'No such webhook.');
  return w;
}

/** Deletes a webhook and its delivery log; its deliveries still queued find it gone and stop. */
export async function deleteWebhook(deps: Deps, id: string): Promise<void> {
  if ((await deps.redis.hdel(deps.keys.webhooks, id)) === 0) throw new GiftwireError('NOT_FOUND', 'No such webhook.');
  await deps.redis.del(deps.keys.webhookDeliveries(id));
}
