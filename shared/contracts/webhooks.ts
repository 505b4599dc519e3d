import { z } from 'zod';

/** Every event type a webhook may subscribe to (API.md "Webhooks"); `*` subscribes to all, present and future. */
export const WEBHOOK_EVENT_TYPES = [
  'recharge.succeeded',
  'gift.settled',
  'payout.paid',
  'payout.failed',
  'stream.started',
  'stream.ended',
  'battle.ended',
  'goal.reached',
  'chargeback.applied',
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];
export const webhookEventType = z.enum(WEBHOOK_EVENT_TYPES);

export const createWebhookBody = z
  .object({
    url: z
      .string()
      .max(2048)
      .url()
      .regex(/^https?:\/\//i, 'url must be http or https'),
    events: z
      .array(z.union([webhookEventType, z.literal('*')]))
      .min(1)
      .max(WEBHOOK_EVENT_TYPES.length)
      .refine((events) => !events.includes('*') || events.length === 1, '"*" stands alone')
      .refine((events) => new Set(events).size === events.length, 'each type once'),
  })
  .strict();
export type CreateWebhookBody = z.infer<typeof createWebhookBody>;

export const webhookDeliveriesQuery = z.object({ limit: z.coerce.number().int().min(1).max(100).default(20) });

/** A registered webhook as listed (`GET /v1/admin/webhooks`): never its secret. */
export interface Webhook {
  id: string;
  url: string;
  events: (WebhookEventType | '*')[];
  createdAt: number;
}
/** The answer to its creation, the only one that shows the secret. */
export interface WebhookWithSecret extends Webhook {
  secret: string;
}

export type WebhookDeliveryStatus = 'pending' | 'delivered' | 'failed';
export interface WebhookDelivery {
  eventId: string;
  type: WebhookEventType;
  status: WebhookDeliveryStatus;
  attempts: number;
  /** null until a receiver answered (a refused address or a timeout has none). */
  lastStatusCode: number | null;
  /** ms; null before the first attempt. */
  lastAttemptAt: number | null;
}

/** The body POSTed to a receiver. */
export interface WebhookEventBody {
  id: string;
  type: WebhookEventType;
  createdAt: number;
  data: Record<string, unknown>;
}
