import { batchCounts } from '../../../shared/redis/script-batches';
import type { ScriptName } from '../../../shared/redis/scripts';

/** Runs `work` and says how many calls of `single`'s batch script it made. */
export async function batchesDuring<T>(single: ScriptName, work: () => Promise<T>): Promise<[T, number]> {
  const before = batchCounts.get(single)?.batches ?? 0;
  const result = await work();
  return [result, (batchCounts.get(single)?.batches ?? 0) - before];
}

/** Runs `work` and says how many Redis calls of `single` (batched or not) it made and how many gifts they carried. */
export async function callsDuring<T>(
  single: ScriptName,
  work: () => Promise<T>,
): Promise<[T, { calls: number; gifts: number }]> {
  const before = { ...(batchCounts.get(single) ?? { calls: 0, gifts: 0 }) };
  const result = await work();
  const after = batchCounts.get(single) ?? { calls: 0, gifts: 0 };
  return [result, { calls: after.calls - before.calls, gifts: after.gifts - before.gifts }];
}
