import { Histogram, Registry } from 'prom-client';

/** Webhook delivery metrics of this process (served by workers/metrics.ts beside settlement's). */
export const webhooksRegistry = new Registry();
webhooksRegistry.setDefaultLabels({ service: 'giftwire-workers' });

/** Seconds: the relay runs every second, a receiver answers within 10; retries push it to minutes and hours. */
export const webhookDeliveryLatency = new Histogram({
  name: 'giftwire_webhook_delivery_seconds',
  help: 'From an event being filed (its createdAt) to its delivery (a 2xx answer), deliveries made here.',
  buckets: [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600, 14_400],
  registers: [webhooksRegistry],
});
