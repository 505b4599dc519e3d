import { dedicatedConnection, type RedisConnection } from '../redis/client';
import { USER_SHARDS } from '../redis/keys';
import { globLiteral, scanKeys } from '../redis/scan';
import type { Deps } from './deps';
import { auditUser, type UserAudit, type Violation } from './reconcile-audit';

export type { Violation } from './reconcile-audit';

/**
 * Reconciliation: reads the live data and checks every money invariant of docs/ARCHITECTURE.md ("Money fields and
 * invariants"), for `npm run reconcile` and the tests. Per user, in one consistent read of the user's slot
 * (reconcile-audit.ts): purchased = coins + held + spent, nothing negative, held/spent/received/diamonds equal to the
 * records they come from, diamondsEarned = floor(received x rate), diamonds = diamondsEarned - diamondsPaidOut, every
 * held gift in the outbox. Across owners (a gift's sender and its creator sit in different slots): every settled
 * gift credited to its creator exactly once, every credit a gift of that sender (a credited gift still held is a
 * settlement half done, which the sweeper finishes: a figure, not a violation). Then every outbox shard: each entry a
 * held gift, and how old the oldest unsettled hold is.
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
  /** Gifts credited to their creator whose sender's half of settlement has not run yet. */
  creditedAwaitingSettle: number;
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
    creditedAwaitingSettle: 0,
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
  const owners = new CrossOwner();
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
        owners.add(userId, audit);
        for (const f of Object.keys(report.totals) as (keyof ReconcileReport['totals'])[])
          report.totals[f] += audit.wallet[f];
        add(audit.violations);
      }
    } while (cursor !== '0');
    add(owners.violations(report));
    add(await owners.unlisted(deps));
    for (let shard = 0; shard < USER_SHARDS; shard++) add(await auditOutbox(conn, deps, shard, now, report.outbox));
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

/**
 * The sender's and the creator's halves of each gift, gathered user by user: a settled gift must be credited, a
 * credit must name a gift of that creator that is settled (or still held: the sender's half is yet to run).
 */
class CrossOwner {
  private readonly sent = new Map<string, { status: string | null; creatorId: string | null; senderId: string }>();
  private readonly credits = new Map<string, string[]>();

  add(userId: string, audit: UserAudit): void {
    for (const g of audit.sent) this.sent.set(g.giftEventId, { ...g, senderId: userId });
    for (const id of audit.credited) this.credits.set(id, [...(this.credits.get(id) ?? []), userId]);
  }

  /**
   * Every master scanned for gift records and credits that no walked history names (a user missing from the index,
   * or a record written without its history entry). A voided gift leaves its sender's history: not one of these.
   */
  async unlisted(deps: Deps): Promise<Violation[]> {
    const v: Violation[] = [];
    const p = globLiteral(deps.keys.prefix);
    for await (const batch of scanKeys(deps.redis, `${p}:{u*}:credit:*`)) {
      const unnamed = batch.filter((key) => !this.credits.has(key.slice(key.lastIndexOf(':') + 1)));
      // a chargeback's fence (chargeback-fence-1) is a credit key without a credit: nothing was credited
      const credited = await Promise.all(unnamed.map((key) => deps.redis.hexists(key, 'diamonds')));
      unnamed.forEach((key, i) => {
        if (!credited[i]) return;
        const id = key.slice(key.lastIndexOf(':') + 1);
        v.push({ check: 'every record in a history', giftEventId: id, message: 'a credit is in no creator history' });
      });
    }
    for await (const batch of scanKeys(deps.redis, `${p}:{u*}:gift:*`)) {
      const ids = batch.map((key) => key.slice(key.lastIndexOf(':') + 1)).filter((id) => !this.sent.has(id));
      const statuses = await Promise.all(ids.map((id) => deps.redis.hget(deps.keys.gift(id), 'status')));
      ids.forEach((id, i) => {
        if (statuses[i] !== 'voided' && statuses[i] !== null) {
          v.push({ check: 'every record in a history', giftEventId: id, message: 'a gift is in no sender history' });
        }
      });
    }
    return v;
  }

  violations(report: ReconcileReport): Violation[] {
    const v: Violation[] = [];
    for (const [giftEventId, g] of this.sent) {
      if (g.status === 'settled' && !this.credits.get(giftEventId)?.includes(g.creatorId ?? '')) {
        v.push({
          check: 'every settled gift credited once',
          userId: g.senderId,
          giftEventId,
          message: 'a settled gift was not credited to its creator',
        });
      }
    }
    for (const [giftEventId, creators] of this.credits) {
      const g = this.sent.get(giftEventId);
      const ok = g !== undefined && creators.length === 1 && creators[0] === g.creatorId;
      if (ok && g.status === 'held') report.creditedAwaitingSettle += 1;
      else if (!ok || g.status !== 'settled') {
        v.push({
          check: 'every settled gift credited once',
          userId: creators.join(','),
          giftEventId,
          actual: String(g?.status ?? 'no such gift'),
          message: 'a credit names no settled gift of this creator',
        });
      }
    }
    return v;
  }
}

/** Every entry of an outbox shard must be a held gift (checked with its status in one MULTI); stale ones counted. */
async function auditOutbox(
  conn: RedisConnection,
  deps: Deps,
  shard: number,
  now: number,
  out: ReconcileReport['outbox'],
): Promise<Violation[]> {
  const k = deps.keys;
  const outbox = k.outbox(shard);
  const flat = await conn.zrange(outbox, 0, -1, 'WITHSCORES');
  const violations: Violation[] = [];
  const ids: string[] = [];
  for (let i = 0; i < flat.length; i += 2) {
    ids.push(flat[i]!);
    const age = now - Number(flat[i + 1]);
    if (i === 0) out.oldestAgeMs = Math.max(out.oldestAgeMs ?? 0, age, 0);
    if (age > deps.config.settleStaleMs) out.stale += 1;
  }
  out.entries += ids.length;
  for (let i = 0; i < ids.length; i += 500) {
    const batch = ids.slice(i, i + 500);
    const tx = conn.multi();
    for (const id of batch) tx.hget(k.gift(id), 'status').zscore(outbox, id);
    const res = (await tx.exec()) ?? [];
    batch.forEach((giftEventId, j) => {
      const status = res[2 * j]?.[1] as string | null;
      const stillQueued = res[2 * j + 1]?.[1] !== null;
      if (stillQueued && status !== 'held') {
        violations.push({
          check: 'outbox holds exactly the held gifts',
          giftEventId,
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
      (r.outbox.oldestAgeMs === null ? '' : ` · oldest ${r.outbox.oldestAgeMs} ms`) +
      (r.creditedAwaitingSettle ? ` · ${r.creditedAwaitingSettle} credited, awaiting the sender's half` : ''),
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
      const who = [v.userId && `user ${v.userId}`, v.giftEventId && `gift ${v.giftEventId}`].filter(Boolean).join(' ');
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
