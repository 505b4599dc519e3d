import type { Ratio } from '../../shared/config';
import type { Api } from './api';
import { pool } from './api';
import { creatorDelivery, sumBy, type Ledger } from './ledger';
import type { Plan } from './setup';
import type { SettlementResult } from './settlement';

/**
 * The run's verdict on money and delivery. Each check compares what the server acknowledged to this run with
 * what the system says now, through the public API (wallets, streams, battles) and the settlement records.
 * The users are fresh for every run, so every expected value is exact.
 */
export interface Check {
  name: string;
  ok: boolean;
  detail: string;
  /** false: reported (WARN) but does not fail the run. */
  fatal?: boolean;
}

export const checkPasses = (c: Check) => c.ok || c.fatal === false;

export async function runChecks(input: {
  api: Api;
  plan: Plan;
  ledger: Ledger;
  settlement: SettlementResult | null;
  diamondRate: Ratio;
}): Promise<Check[]> {
  const { api, plan, ledger, settlement, diamondRate } = input;
  const checks: Check[] = [];
  const add = (name: string, ok: boolean, detail: string) => checks.push({ name, ok, detail });

  const unique = new Set(ledger.ids).size;
  add(
    'acknowledged gifts have distinct ids',
    unique === ledger.ids.length,
    `${ledger.ids.length} acks, ${unique} distinct ids`,
  );
  add(
    'every gift sent got an answer',
    ledger.unacked === 0,
    ledger.unacked === 0
      ? 'no send left without an acknowledgement'
      : `${ledger.unacked} sends never acknowledged, even on a repeat with the same key`,
  );
  checks.push({
    name: 'every gift was answered while the run lasted',
    ok: ledger.answeredOnRepeat === 0,
    detail:
      ledger.answeredOnRepeat === 0
        ? 'no repeat needed'
        : `${ledger.answeredOnRepeat} answered only when sent again with the same key after the server went idle (it was still working through its backlog)`,
    fatal: false,
  });

  for (const d of creatorDelivery(
    ledger,
    plan.streams.map((s) => s.id),
  )) {
    const ok = d.missing === 0 && d.duplicated === 0 && (d.unexpected === 0 || d.unexpected <= ledger.unacked);
    add(
      `creator socket of stream ${d.streamId.slice(0, 8)} saw each acknowledged gift exactly once`,
      ok,
      `${d.acked} acked, ${d.seen} seen, ${d.missing} missing, ${d.duplicated} duplicated, ${d.unexpected} unexpected${d.examples.length ? ` (${d.examples.join('; ')})` : ''}`,
    );
  }
  if (ledger.creatorEvents['gifts.rest']) {
    add(
      'creator sockets never receive a folded remainder',
      false,
      `${ledger.creatorEvents['gifts.rest']} frames with "rest"`,
    );
  }

  if (settlement) {
    add(
      'every acknowledged gift is settled',
      settlement.unsettled === 0,
      `${settlement.settled} settled, ${settlement.unsettled} not (${settlement.missingRecords} without a record) after ${(settlement.waitedMs / 1000).toFixed(1)} s${settlement.examples.length ? `: ${settlement.examples.join('; ')}` : ''}`,
    );
  }

  // Senders: coins = purchased - acknowledged spend, nothing held once settled (a rejected gift moved nothing).
  const spentBySender = sumBy(ledger, (i) => ledger.senderIndex[i]!);
  const wallets = await pool(plan.senders, 16, (s) => api.wallet(s.token));
  const bad: string[] = [];
  wallets.forEach((w, i) => {
    const s = plan.senders[i]!;
    const expected = s.purchased - (spentBySender.get(s.index) ?? 0);
    if (w.coins !== expected || w.heldCoins !== 0)
      bad.push(`fan${s.index + 1}: coins ${w.coins} (expected ${expected}), held ${w.heldCoins}`);
  });
  add(
    "senders' coins = purchased - acknowledged gifts, none left held",
    bad.length === 0,
    bad.length === 0
      ? `${plan.senders.length} wallets exact`
      : `${bad.length} wallets off: ${bad.slice(0, 3).join('; ')}`,
  );

  // Creators: diamonds = floor(received x rate); streams: totalCoins = acknowledged coins.
  const byStream = sumBy(ledger, (i) => ledger.streamIds[i]!);
  for (const s of plan.streams) {
    const received = byStream.get(s.id) ?? 0;
    const [wallet, view] = await Promise.all([api.wallet(s.creatorToken), api.getStream(s.id)]);
    const diamonds = Math.floor((received * diamondRate.num) / diamondRate.den);
    add(
      `stream ${s.id.slice(0, 8)}: totalCoins and the creator's diamonds match the acknowledged gifts`,
      view.totalCoins === received && wallet.diamonds === diamonds,
      `totalCoins ${view.totalCoins} (expected ${received}), diamonds ${wallet.diamonds} (expected ${diamonds})`,
    );
  }

  if (plan.battle) {
    const { battle } = await api.getBattle(plan.battle.id);
    const fmtSides = (expected: Map<string, number>) =>
      battle.sides
        .map((side) => `${side.streamId.slice(0, 8)}: ${side.score} (expected ${expected.get(side.streamId) ?? 0})`)
        .join(', ') + ` [${battle.status}]`;
    if (settlement) {
      // The battle's score is the sum of the gifts whose records say they scored in it.
      const counted = sumBy(
        ledger,
        (i) => ledger.streamIds[i]!,
        (i) => settlement.battleIds[i] === battle.id,
      );
      add(
        'battle scores = the acknowledged gifts recorded as scoring in the battle',
        battle.sides.every((side) => side.score === (counted.get(side.streamId) ?? 0)),
        fmtSides(counted),
      );
    }
    // The contract: while active, every gift counts. A gift stamped inside the window but executed after the
    // battle ended (a server running behind) is missed: reported, not failed.
    const from = battle.startedAt ?? 0;
    const to = Math.min(battle.endsAt ?? Infinity, battle.endedAt ?? Infinity);
    const inWindow = (i: number) => ledger.at[i]! >= from && ledger.at[i]! < to;
    const scores = sumBy(ledger, (i) => ledger.streamIds[i]!, inWindow);
    let missed = 0;
    if (settlement)
      for (let i = 0; i < ledger.ids.length; i++) if (inWindow(i) && settlement.battleIds[i] !== battle.id) missed++;
    checks.push({
      name: 'every gift stamped inside the battle window scored in it',
      ok: battle.sides.every((side) => side.score === (scores.get(side.streamId) ?? 0)),
      detail: `${fmtSides(scores)}${missed ? `; ${missed} gifts stamped before the end missed the battle` : ''}`,
      fatal: false,
    });
  }
  return checks;
}
