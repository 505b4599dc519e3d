import { batchCounts } from '../../../shared/redis/script-batches';
import type { ScriptName } from '../../../shared/redis/scripts';

/** The calls that run a gift's wallet phase: its own script, or on a single Redis the one call of every step. */
export const WALLET_PHASE: readonly ScriptName[] = ['giftHold', 'giftAcceptBatch'];

const total = (names: readonly ScriptName[], field: 'calls' | 'gifts' | 'batches') =>
  names.reduce((n, name) => n + (batchCounts.get(name)?.[field] ?? 0), 0);

/** Runs `work` and says how many batch calls (more than one gift) of any of `names` it made. */
export async function batchesDuring<T>(names: readonly ScriptName[], work: () => Promise<T>): Promise<[T, number]> {
  const before = total(names, 'batches');
  const result = await work();
  return [result, total(names, 'batches') - before];
}

/** Runs `work` and says how many Redis calls of `single` (batched or not) it made and how many gifts they carried. */
export async function callsDuring<T>(
  single: ScriptName,
  work: () => Promise<T>,
): Promise<[T, { calls: number; gifts: number }]> {
  const before = { calls: total([single], 'calls'), gifts: total([single], 'gifts') };
  const result = await work();
  return [result, { calls: total([single], 'calls') - before.calls, gifts: total([single], 'gifts') - before.gifts }];
}
