import type { Deps } from './deps';

/**
 * The operator audit log: every operator action that changes an account or money (suspend, unsuspend, revoke,
 * chargeback, payout approve and reject, limit changes) with who did it, when, to what. A Redis stream: entries are
 * append-only and time-ordered by their ids, which also serve as the page cursor.
 */
export interface AuditEntry {
  id: string;
  at: number;
  /** Who: `operator` (the ADMIN_TOKEN holder; there is one operator identity today). */
  actor: string;
  action: string;
  /** The user, recharge or payout acted on. */
  target: string;
  details: Record<string, unknown>;
}

/** Entries kept: the oldest are trimmed past this many. */
const AUDIT_MAX = 100_000;

export async function audit(
  deps: Deps,
  action: string,
  target: string,
  details: Record<string, unknown> = {},
  actor = 'operator',
): Promise<void> {
  await deps.redis.xadd(
    deps.keys.audit,
    'MAXLEN',
    '~',
    AUDIT_MAX,
    '*',
    'actor',
    actor,
    'action',
    action,
    'target',
    target,
    'details',
    JSON.stringify(details),
  );
}

/** Newest first; `cursor` is the last id of the previous page. */
export async function listAudit(
  deps: Deps,
  limit: number,
  cursor?: string,
): Promise<{ items: AuditEntry[]; nextCursor: string | null }> {
  const rows = await deps.redis.xrevrange(deps.keys.audit, cursor ? `(${cursor}` : '+', '-', 'COUNT', limit + 1);
  const items = rows.slice(0, limit).map(([id, fields]) => {
    const f: Record<string, string> = {};
    for (let i = 0; i < fields.length; i += 2) f[fields[i]!] = fields[i + 1]!;
    return {
      id,
      at: Number(id.split('-')[0]),
      actor: f.actor ?? '',
      action: f.action ?? '',
      target: f.target ?? '',
      details: JSON.parse(f.details ?? '{}') as Record<string, unknown>,
    };
  });
  return { items, nextCursor: rows.length > limit ? items[items.length - 1]!.id : null };
}
