import type { MoneyCrashStep } from '../config';
import type { Deps } from './deps';

/**
 * The money crash stories' hook (MONEY_CRASH_AT, refused in production): a real SIGKILL of this process right after
 * a named step of a chargeback, a payout review or a recharge, as a power cut would leave it.
 */
export function crashPoint(deps: Pick<Deps, 'config'>, step: MoneyCrashStep): void {
  if (deps.config.moneyCrashAt === step) process.kill(process.pid, 'SIGKILL');
}
