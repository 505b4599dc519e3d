import { z } from 'zod';
import { QUEUE_ROLES } from '../../../shared/runtime/queues';
import { uuid } from '../../../shared/contracts/common';
import { createWebhookBody, webhookDeliveriesQuery } from '../../../shared/contracts/webhooks';
import { webhook, webhookDelivery, webhookWithSecret } from './models';
import type { RouteDoc } from './route-doc';

const status = z.object({ status: z.literal('ok') });
const jsonDocument = z.record(z.string(), z.unknown());

export const queueName = z.enum(QUEUE_ROLES);
export const queueCounts = z.object({
  name: queueName,
  waiting: z.number().int(),
  active: z.number().int(),
  delayed: z.number().int(),
  failed: z.number().int(),
  completed: z.number().int(),
});

/** Health, metrics, the API description itself, and the operator's job queues. */
export const opsRoutes: RouteDoc[] = [
  {
    method: 'get',
    path: '/health/live',
    tag: 'Operations',
    summary: 'Live: the process runs (200 as long as it answers at all)',
    auth: 'none',
    ok: { status: 200, description: 'Live', schema: status },
    errors: [],
  },
  {
    method: 'get',
    path: '/health/ready',
    tag: 'Operations',
    summary: 'Ready: Redis accepts writes, the scripts are loaded and the process is not shutting down',
    auth: 'none',
    ok: { status: 200, description: 'Ready', schema: status },
    errors: ['UNAVAILABLE'],
  },
  {
    method: 'get',
    path: '/health',
    tag: 'Operations',
    summary: 'The same answer as /health/ready',
    auth: 'none',
    ok: { status: 200, description: 'Ready', schema: status },
    errors: ['UNAVAILABLE'],
  },
  {
    method: 'get',
    path: '/metrics',
    tag: 'Operations',
    summary: 'Prometheus metrics of this server process',
    auth: 'operator',
    ok: { status: 200, description: 'Prometheus text exposition format', contentType: 'text/plain' },
    errors: ['UNAUTHORIZED'],
  },
  {
    method: 'get',
    path: '/v1/openapi.json',
    tag: 'API description',
    summary: 'This document: OpenAPI 3.1 of every REST route',
    auth: 'none',
    ok: { status: 200, description: 'The OpenAPI document', schema: jsonDocument },
    errors: [],
  },
  {
    method: 'get',
    path: '/v1/asyncapi.json',
    tag: 'API description',
    summary: 'AsyncAPI 3 of the Socket.io events',
    auth: 'none',
    ok: { status: 200, description: 'The AsyncAPI document', schema: jsonDocument },
    errors: [],
  },
  {
    method: 'get',
    path: '/v1/admin/queues',
    tag: 'Operator',
    summary: 'Job counts of every queue (settlement, payouts, battles)',
    auth: 'operator',
    ok: { status: 200, description: 'One row per queue', schema: z.object({ items: z.array(queueCounts) }) },
    errors: ['UNAUTHORIZED'],
  },
  {
    method: 'post',
    path: '/v1/admin/queues/:queue/retry-failed',
    tag: 'Operator',
    summary: "Retry a queue's failed jobs",
    description:
      'Every failed job of the queue goes back to waiting with its attempts reset (the jobs are idempotent). ' +
      '`retried` is how many were failed when the call came.',
    auth: 'operator',
    params: { queue: queueName },
    ok: {
      status: 200,
      description: 'How many jobs went back to the queue',
      schema: z.object({ queue: queueName, retried: z.number().int() }),
    },
    errors: ['UNAUTHORIZED'],
  },
  // ---- webhooks (issue #18) ----
  {
    method: 'post',
    path: '/v1/admin/webhooks',
    tag: 'Webhooks',
    summary: 'Register a webhook: its URL and the event types it wants (or ["*"])',
    description:
      'The answer shows the signing secret, once. The URL must be http or https and pass the SSRF guard ' +
      '(WEBHOOK_ALLOWED_HOSTS; no private or loopback address in production unless listed): else VALIDATION_FAILED.',
    auth: 'operator',
    body: createWebhookBody,
    ok: { status: 201, description: 'Registered', schema: z.object({ webhook: webhookWithSecret }) },
    errors: ['UNAUTHORIZED'],
  },
  {
    method: 'get',
    path: '/v1/admin/webhooks',
    tag: 'Webhooks',
    summary: 'Every registered webhook, without secrets',
    auth: 'operator',
    ok: { status: 200, description: 'The webhooks', schema: z.object({ items: z.array(webhook) }) },
    errors: ['UNAUTHORIZED'],
  },
  {
    method: 'delete',
    path: '/v1/admin/webhooks/:id',
    tag: 'Webhooks',
    summary: 'Delete a webhook (its queued deliveries stop)',
    auth: 'operator',
    params: { id: uuid },
    ok: { status: 204, description: 'Deleted' },
    errors: ['UNAUTHORIZED', 'NOT_FOUND'],
  },
  {
    method: 'get',
    path: '/v1/admin/webhooks/:id/deliveries',
    tag: 'Webhooks',
    summary: "A webhook's delivery log, newest event first",
    auth: 'operator',
    params: { id: uuid },
    query: webhookDeliveriesQuery,
    ok: { status: 200, description: 'The deliveries', schema: z.object({ items: z.array(webhookDelivery) }) },
    errors: ['UNAUTHORIZED', 'NOT_FOUND'],
  },
  {
    method: 'post',
    path: '/v1/admin/webhooks/:id/deliveries/:eventId/redeliver',
    tag: 'Webhooks',
    summary: 'Send one event to the webhook again (same id and body, a new series of attempts)',
    description:
      'The delivery goes back to `pending` and a new delivery job is queued, even if it was delivered before; ' +
      'its `attempts` keep counting.',
    auth: 'operator',
    params: { id: uuid, eventId: uuid },
    ok: { status: 202, description: 'Queued', schema: z.object({ delivery: webhookDelivery }) },
    errors: ['UNAUTHORIZED', 'NOT_FOUND'],
  },
];
