import { dedicatedConnection, type RedisConnection } from '../redis/client';
import type { Deps } from './deps';
import { auditUser, type Violation } from './reconcile-audit';

export type { Violation } from './reconcile-audit';

/**
 * Reconciliation: reads the live data and checks every money invariant of docs/ARCHITECTURE.md ("Money fields and
 * invariants"), for `npm run reconcile` and the tests. Per user, in one consistent read (reconcile-audit.ts): purchased = coins + held + spent, nothing
 * negative, held/spent/received/diamonds equal to the records they come from, diamondsEarned = floor(received x
 * rate), diamonds = diamondsEarned - diamondsPaidOut, every held gift in the outbox. Then the outbox itself: each
 * entry a held gift, and how old the oldest unsettled hold is.
 *
 * Other features add their own figures and checks as extensions (e.g. the settlement workers' failed jobs).
 */
export interface ReconcileExtension {
  name: string;
  run(deps: Deps, now: number): Promise<{ figures?: Record<string, number>; violations?: Violation[] }>;
}

export interface ReconcileReport {
  ok: boolean;
  at: number;
  users: number;
  giftsAudited: number;
  /** Users whose wallet kept moving during every attempt to read it; not a violation, re-run to check them. */
  busyUsers: string[];
  totals: {
    purchased: number;
    coins: number;
    held: number;
    spent: number;
    received: number;
    diamondsEarned: number;
    diamonds: number;
    diamondsPaidOut: number;
  };
  outbox: { entries: number; stale: number; oldestAgeMs: number | null; staleAfterMs: number };
  extensions: Record<string, Record<string, number>>;
  violationCount: number;
  /** The first `maxViolations` violations. */
  violations: Violation[];
}

export interface ReconcileOptions {
  now?: number;
  extensions?: ReconcileExtension[];
  maxViolations?: number;
}

export async function reconcile(deps: Deps, opts: ReconcileOptions = {}): Promise<ReconcileReport> {
  const now = opts.now ?? Date.now();
  const max = opts.maxViolations ?? 1000;
  const report: ReconcileReport = {
    ok: true,
    at: now,
    users: 0,
    giftsAudited: 0,
    busyUsers: [],
    totals: {
      purchased: 0,
      coins: 0,
      held: 0,
      spent: 0,
      received: 0,
      diamondsEarned: 0,
      diamonds: 0,
      diamondsPaidOut: 0,
    },
    outbox: { entries: 0, stale: 0, oldestAgeMs: null, staleAfterMs: deps.config.settleStaleMs },
    extensions: {},
    violationCount: 0,
    violations: [],
  };
  const add = (vs: Violation[]) => {
    report.violationCount += vs.length;
    for (const v of vs) if (report.violations.length < max) report.violations.push(v);
  };

  // WATCH needs a connection of its own, with nothing else pipelined on it
  const conn = dedicatedConnection(deps.redis);
  try {
    let cursor = '0';
    do {
      const [next, ids] = await deps.redis.sscan(deps.keys.users, cursor, 'COUNT', 500);
      cursor = next;
      for (const userId of ids) {
        const audit = await auditUser(conn, deps.keys, deps.config.diamondRate, userId);
        report.users += 1;
        if (audit === 'busy') {
          report.busyUsers.push(userId);
          continue;
        }
        report.giftsAudited += audit.giftsSeen;
        for (const f of Object.keys(report.totals) as (keyof ReconcileReport['totals'])[])
          report.totals[f] += audit.wallet[f];
        add(audit.violations);
      }
    } while (cursor !== '0');
    add(await auditOutbox(conn, deps, now, report.outbox));
  } finally {
    await conn.quit().catch(() => conn.disconnect());
  }

  for (const ext of opts.extensions ?? []) {
    const r = await ext.run(deps, now);
    report.extensions[ext.name] = r.figures ?? {};
    add(r.violations ?? []);
  }
  report.ok = report.violationCount === 0;
  return report;
}

/** Every outbox entry must be a held gift (checked with its status in one MULTI); stale holds are counted. */
async function auditOutbox(
  conn: RedisConnection,
  deps: Deps,
  now: number,
  out: ReconcileReport['outbox'],
): Promise<Violation[]> {
  const k = deps.keys;
  const flat = await conn.zrange(k.outbox, 0, -1, 'WITHSCORES');
  const violations: Violation[] = [];
  const ids: string[] = [];
  for (let i = 0; i < flat.length; i += 2) {
    ids.push(flat[i]!);
    const age = now - Number(flat[i + 1]);
    if (i === 0) out.oldestAgeMs = Math.max(0, age);
    if (age > deps.config.settleStaleMs) out.stale += 1;
  }
  out.entries = ids.length;
  for (let i = 0; i < ids.length; i += 500) {
    const batch = ids.slice(i, i + 500);
    const tx = conn.multi();
    for (const id of batch) tx.hget(k.gift(id), 'status').zscore(k.outbox, id);
    const res = (await tx.exec()) ?? [];
    batch.forEach((giftId, j) => {
      const status = res[2 * j]?.[1] as string | null;
      const stillQueued = res[2 * j + 1]?.[1] !== null;
      if (stillQueued && status !== 'held') {
        violations.push({
          check: 'outbox holds exactly the held gifts',
          giftId,
          actual: String(status),
          message: status ? `an outbox entry is a ${status} gift` : 'an outbox entry names no gift',
        });
      }
    });
  }
  return violations;
}

/** A short human report: what was checked, the totals, and every violation (or OK). */
export function formatReport(r: ReconcileReport): string {
  const t = r.totals;
  const lines = [
    `Giftwire reconciliation at ${new Date(r.at).toISOString()}`,
    `users ${r.users} · gifts audited ${r.giftsAudited}${r.busyUsers.length ? ` · busy (not checked) ${r.busyUsers.length}` : ''}`,
    `coins: purchased ${t.purchased} = available ${t.coins} + held ${t.held} + spent ${t.spent}`,
    `creators: received ${t.received} · diamonds earned ${t.diamondsEarned}, paid out ${t.diamondsPaidOut}, balance ${t.diamonds}`,
    `outbox: ${r.outbox.entries} unsettled · ${r.outbox.stale} older than ${r.outbox.staleAfterMs} ms` +
      (r.outbox.oldestAgeMs === null ? '' : ` · oldest ${r.outbox.oldestAgeMs} ms`),
  ];
  for (const [name, figures] of Object.entries(r.extensions)) {
    lines.push(
      `${name}: ${
        Object.entries(figures)
          .map(([k, v]) => `${k} ${v}`)
          .join(' · ') || 'checked'
      }`,
    );
  }
  if (r.ok) {
    lines.push('OK: every invariant holds');
  } else {
    lines.push(`VIOLATIONS: ${r.violationCount}`);
    for (const v of r.violations) {
      const who = [v.userId && `user ${v.userId}`, v.giftId && `gift ${v.giftId}`].filter(Boolean).join(' ');
      const figures =
        v.expected !== undefined
          ? ` (expected ${v.expected}, found ${v.actual})`
          : v.actual !== undefined
            ? ` (${v.actual})`
            : '';
      lines.push(`  ✗ ${v.check}: ${who}: ${v.message}${figures}`);
    }
    if (r.violations.length < r.violationCount) lines.push(`  … and ${r.violationCount - r.violations.length} more`);
  }
  return lines.join('\n');
}
