import type { RedisConnection } from '../../shared/redis/client';
import { masters } from '../../shared/redis/scan';

/**
 * What each Redis master did, from its own INFO (commandstats, cpu): on a cluster, how the load split over the
 * masters; on one Redis, the one row. Counters are cumulative: a run's share is the difference of two snapshots.
 */
export interface MasterLoad {
  node: string;
  /** used_cpu_sys + used_cpu_user, seconds. */
  cpuSec: number;
  calls: number;
  /** Calls per command (evalsha, hset, spublish, ...). */
  commands: Record<string, number>;
}

export async function snapshotMasters(redis: RedisConnection): Promise<MasterLoad[]> {
  await redis.ping(); // a cluster learns its masters on its first command
  return Promise.all(
    masters(redis).map(async (node) => {
      const text = await node.info('all');
      const field = (name: string) => Number(new RegExp(`^${name}:([\\d.]+)`, 'm').exec(text)?.[1] ?? 0);
      const commands: Record<string, number> = {};
      for (const m of text.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) commands[m[1]!] = Number(m[2]);
      return {
        node: `${node.options.host}:${node.options.port}`,
        cpuSec: field('used_cpu_sys') + field('used_cpu_user'),
        calls: Object.values(commands).reduce((a, b) => a + b, 0),
        commands,
      };
    }),
  );
}

/** after - before, per master (a master missing from `before` counts from zero). */
export function masterLoadSince(before: MasterLoad[], after: MasterLoad[]): MasterLoad[] {
  return after.map((a) => {
    const b = before.find((x) => x.node === a.node);
    const commands: Record<string, number> = {};
    for (const [cmd, n] of Object.entries(a.commands)) {
      const d = n - (b?.commands[cmd] ?? 0);
      if (d > 0) commands[cmd] = d;
    }
    return { node: a.node, cpuSec: a.cpuSec - (b?.cpuSec ?? 0), calls: a.calls - (b?.calls ?? 0), commands };
  });
}

/** One line per master: its share of the commands, CPU seconds, and CPU per accepted gift. */
export function describeSplit(loads: MasterLoad[], acceptedGifts: number): string[] {
  const calls = loads.reduce((a, l) => a + l.calls, 0) || 1;
  return loads.map((l) => {
    const top = Object.entries(l.commands)
      .sort((x, y) => y[1] - x[1])
      .slice(0, 3)
      .map(([c, n]) => `${c} ${n}`)
      .join(', ');
    const perGift = acceptedGifts > 0 ? `, ${((l.cpuSec * 1e6) / acceptedGifts).toFixed(1)} µs CPU per gift` : '';
    return `master ${l.node}: ${((l.calls / calls) * 100).toFixed(1)}% of ${calls} commands, ${l.cpuSec.toFixed(2)} s CPU${perGift} (top: ${top})`;
  });
}
