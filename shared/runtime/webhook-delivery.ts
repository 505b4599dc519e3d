import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import type { Deps } from '../domain/deps';
import { redisNow } from '../domain/clock';
import { findWebhook, webhookSignature } from '../domain/webhooks';
import { findDelivery, recordAttempt } from '../domain/webhooks-deliveries';
import { resolveWebhookTarget, type ResolvedTarget } from '../domain/webhooks-ssrf';
import { GiftwireError } from '../contracts/errors';

/** The contract's bound: a receiver that has not answered 2xx within this has not taken the event. */
export const WEBHOOK_TIMEOUT_MS = 10_000;

/** Connects to the address the guard checked, whatever the host name would resolve to a second time. */
function pinned(target: ResolvedTarget): LookupFunction {
  return (_host, options, callback) => {
    if (options.all) callback(null, [{ address: target.address, family: target.family }]);
    else callback(null, target.address, target.family);
  };
}

/** POSTs the body; resolves with the receiver's status, or null when none answered in time. */
function post(url: string, target: ResolvedTarget, headers: Record<string, string>, body: string) {
  const u = new URL(url);
  const client = u.protocol === 'https:' ? https : http;
  return new Promise<number | null>((resolve) => {
    const req = client.request(
      u,
      {
        method: 'POST',
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
        lookup: pinned(target),
        signal: AbortSignal.timeout(WEBHOOK_TIMEOUT_MS),
      },
      (res) => {
        res.resume(); // the answer's body is not read: its status is all that counts
        resolve(res.statusCode ?? null);
      },
    );
    req.on('error', () => resolve(null));
    req.end(body);
  });
}

export type AttemptOutcome =
  | { kind: 'delivered'; statusCode: number; latencyMs: number }
  | { kind: 'retry'; statusCode: number | null }
  | { kind: 'failed'; statusCode: number | null; why: string }
  | { kind: 'skipped'; why: string };

/**
 * One attempt of one delivery: the stored body, signed now with the webhook's secret, POSTed to the address the
 * SSRF guard allowed. `last` says whether another attempt follows a failure. A webhook deleted since, or a
 * delivery already delivered (a duplicate job), is skipped; a refused address fails at once (retrying would not
 * change the answer, and the operator sees why in the log).
 */
export async function attemptDelivery(
  deps: Deps,
  webhookId: string,
  eventId: string,
  opts: { last: boolean; redelivery: boolean },
): Promise<AttemptOutcome> {
  const [hook, delivery] = await Promise.all([findWebhook(deps, webhookId), findDelivery(deps, webhookId, eventId)]);
  if (!hook || !delivery) return { kind: 'skipped', why: 'webhook or delivery gone' };
  if (delivery.status === 'delivered' && !opts.redelivery) return { kind: 'skipped', why: 'already delivered' };
  let target: ResolvedTarget;
  try {
    target = await resolveWebhookTarget(deps.config, hook.url);
  } catch (err) {
    await recordAttempt(deps, webhookId, eventId, null, 'failed');
    return { kind: 'failed', statusCode: null, why: err instanceof GiftwireError ? err.message : String(err) };
  }
  const t = Math.floor((await redisNow(deps)) / 1000);
  const statusCode = await post(
    hook.url,
    target,
    {
      'content-type': 'application/json',
      'user-agent': 'Giftwire-Webhooks',
      'giftwire-event-id': eventId,
      'giftwire-signature': webhookSignature(hook.secret, t, delivery.body),
    },
    delivery.body,
  );
  if (statusCode !== null && statusCode >= 200 && statusCode < 300) {
    await recordAttempt(deps, webhookId, eventId, statusCode, 'delivered');
    return { kind: 'delivered', statusCode, latencyMs: Math.max(0, (await redisNow(deps)) - delivery.createdAt) };
  }
  if (opts.last) {
    await recordAttempt(deps, webhookId, eventId, statusCode, 'failed');
    return { kind: 'failed', statusCode, why: `receiver answered ${statusCode ?? 'nothing'}` };
  }
  await recordAttempt(deps, webhookId, eventId, statusCode, 'retry');
  return { kind: 'retry', statusCode };
}
