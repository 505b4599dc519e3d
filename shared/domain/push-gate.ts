import { interpret, script } from '../redis/scripts';
import type { Deps } from './deps';

const GATE_TTL_MS = 86_400_000;

export type GateVerdict = { verdict: 'push' } | { verdict: 'same' } | { verdict: 'wait'; retryInMs: number };

/**
 * Asks whether a room update may go out now: only when its signature differs from the last push of any server
 * process, and at most once per `minGapMs` across them all, by Redis's clock (lua/push-gate-1.lua).
 */
export async function passGate(
  deps: Deps,
  kind: 'leaderboard' | 'viewers' | 'goal',
  streamId: string,
  signature: string,
  minGapMs: number,
): Promise<GateVerdict> {
  const r = interpret(
    await script(deps.redis, 'pushGate')(deps.keys.pushGate(kind, streamId), signature, minGapMs, GATE_TTL_MS),
  );
  const [what, ms] = r.payload as [string, number | undefined];
  if (what === 'PUSH') return { verdict: 'push' };
  if (what === 'SAME') return { verdict: 'same' };
  return { verdict: 'wait', retryInMs: Number(ms ?? minGapMs) };
}
