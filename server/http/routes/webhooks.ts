import { randomUUID } from 'node:crypto';
import { Router } from 'express';
import { uuid } from '../../../shared/contracts/common';
import { parse } from '../../../shared/contracts/validate';
import { createWebhookBody, webhookDeliveriesQuery } from '../../../shared/contracts/webhooks';
import { audit } from '../../../shared/domain/audit';
import { createWebhook, deleteWebhook, getWebhook, listWebhooks } from '../../../shared/domain/webhooks';
import { listDeliveries, reopenDelivery } from '../../../shared/domain/webhooks-deliveries';
import { QUEUES, enqueueWebhookDeliveries } from '../../../shared/runtime/queues';
import type { ServerContext } from '../../context';
import { authAdmin } from '../middleware/auth';

/** Operator routes of webhooks (API.md "Webhooks"; docs/API.md says what redelivery answers). */
export function webhookRoutes(ctx: ServerContext): Router {
  const r = Router();
  r.post('/v1/admin/webhooks', async (req, res) => {
    const body = parse(createWebhookBody, req.body);
    authAdmin(ctx, req);
    const webhook = await createWebhook(ctx, body);
    await audit(ctx, 'webhook.create', webhook.id, { url: webhook.url, events: webhook.events });
    res.status(201).json({ webhook });
  });

  r.get('/v1/admin/webhooks', async (req, res) => {
    authAdmin(ctx, req);
    res.json({ items: await listWebhooks(ctx) });
  });

  r.delete('/v1/admin/webhooks/:id', async (req, res) => {
    const id = parse(uuid, req.params.id, 'id');
    authAdmin(ctx, req);
    await deleteWebhook(ctx, id);
    await audit(ctx, 'webhook.delete', id);
    res.status(204).end();
  });

  r.get('/v1/admin/webhooks/:id/deliveries', async (req, res) => {
    const id = parse(uuid, req.params.id, 'id');
    const { limit } = parse(webhookDeliveriesQuery, req.query);
    authAdmin(ctx, req);
    await getWebhook(ctx, id);
    res.json({ items: await listDeliveries(ctx, id, limit) });
  });

  r.post('/v1/admin/webhooks/:id/deliveries/:eventId/redeliver', async (req, res) => {
    const id = parse(uuid, req.params.id, 'id');
    const eventId = parse(uuid, req.params.eventId, 'eventId');
    authAdmin(ctx, req);
    await getWebhook(ctx, id);
    const delivery = await reopenDelivery(ctx, id, eventId);
    await enqueueWebhookDeliveries(ctx, ctx.queues.get(QUEUES.webhooks), [{ webhookId: id, eventId }], randomUUID());
    await audit(ctx, 'webhook.redeliver', id, { eventId });
    res.status(202).json({ delivery });
  });
  return r;
}
