import type { RedisConnection } from '../../shared/redis/client';
import type { Keys } from '../../shared/redis/keys';
import type { Ledger } from './ledger';

/**
 * After the last gift: waits until every acknowledged gift's record says `settled`, reading the records
 * (docs/ARCHITECTURE.md: `gift:<id>` hash, status held|settled, settledAt), and measures the settlement lag
 * of each gift (settledAt - at). Every acknowledged gift is read, not a sample.
 */
export interface SettlementResult {
  settled: number;
  unsettled: number;
  /** Acknowledged gifts with no record at all (lost by the server). */
  missingRecords: number;
  waitedMs: number;
  /** settledAt - at, ms, per settled gift (same order as their ids in the ledger; NaN when not settled). */
  lagMs: Float64Array;
  /** The battle each gift's room phase says it scored in ('' none), in ledger order. */
  battleIds: string[];
  examples: string[];
}

const CHUNK = 2000;

export async function waitForSettlement(
  redis: RedisConnection,
  keys: Keys,
  ledger: Ledger,
  timeoutMs: number,
  onProgress: (settled: number, total: number) => void,
): Promise<SettlementResult> {
  const started = Date.now();
  const total = ledger.ids.length;
  const lagMs = new Float64Array(total).fill(NaN);
  const battleIds = new Array<string>(total).fill('');
  let open = Array.from({ length: total }, (_, i) => i);
  let missing: number[] = [];
  for (;;) {
    const stillOpen: number[] = [];
    missing = [];
    for (let c = 0; c < open.length; c += CHUNK) {
      const chunk = open.slice(c, c + CHUNK);
      // the gift's record (the sender's slot) and its room phase's verdict (the stream's slot): two owners, so
      // separate commands, auto-pipelined by the connection (one explicit pipeline must stay within one slot)
      const [records, verdicts] = await Promise.all([
        Promise.all(
          chunk.map((i) =>
            redis.hmget(keys.gift(ledger.ids[i]!), 'status', 'settledAt', 'at').catch(() => [null, null, null]),
          ),
        ),
        Promise.all(chunk.map((i) => redis.get(keys.roomGift(ledger.streamIds[i]!, ledger.ids[i]!)).catch(() => null))),
      ]);
      chunk.forEach((i, j) => {
        const [status, settledAt, at] = records[j]!;
        const verdict = verdicts[j] ? (JSON.parse(verdicts[j]!) as { battleId?: string }) : {};
        battleIds[i] = verdict.battleId ?? '';
        if (status === 'settled') {
          lagMs[i] = Number(settledAt) - Number(at ?? ledger.at[i]);
        } else {
          stillOpen.push(i);
          if (status === null) missing.push(i);
        }
      });
    }
    open = stillOpen;
    onProgress(total - open.length, total);
    if (open.length === 0 || Date.now() - started > timeoutMs) break;
    await new Promise((r) => setTimeout(r, 1000));
  }
  const examples = open
    .slice(0, 3)
    .map((i) => `${ledger.ids[i]} ${missing.includes(i) ? 'has no record' : 'is not settled'}`);
  return {
    settled: total - open.length,
    unsettled: open.length,
    missingRecords: missing.length,
    waitedMs: Date.now() - started,
    lagMs,
    battleIds,
    examples,
  };
}
