import { z } from 'zod';
import { QUEUE_ROLES } from '../../../shared/runtime/queues';
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
];
