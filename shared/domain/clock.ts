import type { Deps } from './deps';

/**
 * Redis's clock (ms), the clock of record (docs/ARCHITECTURE.md, "Time"): what a process compares with times that
 * scripts wrote (battle windows, due dates, today's spending) when it must decide outside a script.
 */
export async function redisNow(deps: Pick<Deps, 'redis'>): Promise<number> {
  const [sec, micro] = await deps.redis.time();
  return Number(sec) * 1000 + Math.floor(Number(micro) / 1000);
}
