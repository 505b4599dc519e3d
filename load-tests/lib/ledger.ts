import type { AgentFinal } from './protocol';

/**
 * The run's own book of what the server acknowledged, merged from every agent: the expected state that the
 * checks compare the system's state against.
 */
export interface Ledger {
  ids: string[];
  streamIds: string[];
  senderIndex: number[];
  totalCoins: number[];
  at: number[];
  unacked: number;
  answeredOnRepeat: number;
  /** Per stream: id -> times its creator's socket saw it. */
  creatorSeen: Map<string, Map<string, number>>;
  creatorEvents: Record<string, number>;
}

export function mergeFinals(finals: AgentFinal[]): Ledger {
  const l: Ledger = {
    ids: [],
    streamIds: [],
    senderIndex: [],
    totalCoins: [],
    at: [],
    unacked: 0,
    answeredOnRepeat: 0,
    creatorSeen: new Map(),
    creatorEvents: {},
  };
  for (const f of finals) {
    for (let i = 0; i < f.acked.ids.length; i++) {
      l.ids.push(f.acked.ids[i]!);
      l.streamIds.push(f.acked.streamIds[i]!);
      l.senderIndex.push(f.acked.senderIndex[i]!);
      l.totalCoins.push(f.acked.totalCoins[i]!);
      l.at.push(f.acked.at[i]!);
    }
    l.unacked += f.unacked;
    l.answeredOnRepeat += f.answeredOnRepeat;
    for (const [streamId, seen] of Object.entries(f.creatorSeen)) {
      const m = l.creatorSeen.get(streamId) ?? new Map<string, number>();
      seen.ids.forEach((id, i) => m.set(id, (m.get(id) ?? 0) + seen.counts[i]!));
      l.creatorSeen.set(streamId, m);
    }
    for (const [e, n] of Object.entries(f.creatorEvents)) l.creatorEvents[e] = (l.creatorEvents[e] ?? 0) + n;
  }
  return l;
}

/** Sum of acknowledged coins by a key (stream, sender...). */
export function sumBy<K>(
  l: Ledger,
  key: (i: number) => K,
  filter: (i: number) => boolean = () => true,
): Map<K, number> {
  const out = new Map<K, number>();
  for (let i = 0; i < l.ids.length; i++) {
    if (!filter(i)) continue;
    const k = key(i);
    out.set(k, (out.get(k) ?? 0) + l.totalCoins[i]!);
  }
  return out;
}

export interface CreatorDelivery {
  streamId: string;
  acked: number;
  seen: number;
  missing: number;
  duplicated: number;
  /** Seen by the creator but never acknowledged to the run (possible only for unacknowledged sends). */
  unexpected: number;
  examples: string[];
}

/** Every acknowledged gift must reach its stream creator's socket exactly once. */
export function creatorDelivery(l: Ledger, streamIds: string[]): CreatorDelivery[] {
  return streamIds.map((streamId) => {
    const seen = l.creatorSeen.get(streamId) ?? new Map<string, number>();
    const acked = new Set<string>();
    for (let i = 0; i < l.ids.length; i++) if (l.streamIds[i] === streamId) acked.add(l.ids[i]!);
    const examples: string[] = [];
    let missing = 0;
    for (const id of acked) {
      if (!seen.has(id)) {
        missing++;
        if (examples.length < 3) examples.push(`missing ${id}`);
      }
    }
    let duplicated = 0;
    let unexpected = 0;
    for (const [id, n] of seen) {
      if (n > 1) {
        duplicated++;
        if (examples.length < 6) examples.push(`${id} seen ${n} times`);
      }
      if (!acked.has(id)) unexpected++;
    }
    return { streamId, acked: acked.size, seen: seen.size, missing, duplicated, unexpected, examples };
  });
}
