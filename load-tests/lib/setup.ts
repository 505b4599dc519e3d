import type { Battle } from '../../shared/contracts/models';
import { ApiError } from '../../shared/contracts/api-error';
import { type Api, pool } from './api';
import type { Options } from './options';
import type { CreatorSpec, GiftChoice, SenderSpec, WatcherSpec } from './protocol';
import { totalGifts, type Schedule } from './schedule';

/**
 * Everything a run needs, created through the public API only: creators (verified users) who go live,
 * senders (users with enough coins for their share of the schedule), and, in a war, a battle between the two
 * streams, accepted by the opponent. Watchers are anonymous: they need nothing but a stream id.
 */
export interface RunStream {
  id: string;
  creatorId: string;
  creatorToken: string;
  /** Share of the watchers and of the gifts. */
  role: 'hot' | 'opponent' | 'room';
}

export interface RunSender extends SenderSpec {
  purchased: number;
}

export interface Plan {
  runId: string;
  streams: RunStream[];
  senders: RunSender[];
  watchers: WatcherSpec[];
  creators: CreatorSpec[];
  mix: Array<GiftChoice & { coins: number }>;
  schedule: Schedule;
  battle: Battle | null;
  /** Why there is no battle in a war (the feature is missing, say). */
  battleNote?: string;
}

const MAX_RECHARGE = 1_000_000;

/** Coins a sender needs for `n` gifts of the mix with overwhelming probability (mean + 6 sigma + one dearest gift). */
export function coinsFor(n: number, mix: Array<{ weight: number; coins: number }>): number {
  const total = mix.reduce((s, m) => s + m.weight, 0);
  const mean = mix.reduce((s, m) => s + (m.weight / total) * m.coins, 0);
  const meanSq = mix.reduce((s, m) => s + (m.weight / total) * m.coins * m.coins, 0);
  const sd = Math.sqrt(Math.max(0, meanSq - mean * mean) * n);
  const dearest = Math.max(...mix.map((m) => m.coins));
  return Math.max(1, Math.ceil(n * mean + 6 * sd + dearest));
}

export async function setUp(api: Api, opts: Options, say: (line: string) => void): Promise<Plan> {
  const runId = Math.random().toString(36).slice(2, 8);
  const catalog = (await api.gifts()).gifts;
  const mix = opts.mix.map((m) => {
    const g = catalog.find((c) => c.id === m.giftId);
    if (!g)
      throw new Error(`--mix: the catalog has no gift "${m.giftId}" (it has ${catalog.map((c) => c.id).join(', ')})`);
    return { giftId: m.giftId, weight: m.weight, coins: g.coins };
  });
  const schedule: Schedule = { rate: opts.rate, rampUpSec: opts.rampUpSec, durationSec: opts.durationSec };

  say(`creating ${opts.rooms} creator(s) and going live`);
  const roles: RunStream['role'][] =
    opts.scenario === 'war' ? ['hot', 'opponent'] : Array.from({ length: opts.rooms }, () => 'room' as const);
  const streams = await pool(roles, 8, async (role, i) => {
    const { user, token } = await api.createUser(`load-${runId}-creator${i + 1}`);
    const { stream } = await api.goLive(token, `Load test ${runId} ${role} ${i + 1}`);
    return { id: stream.id, creatorId: user.id, creatorToken: token, role } satisfies RunStream;
  });

  // Senders: in a war, opponentShare of them back the opponent; elsewhere they are spread over the rooms.
  const opponentSenders = opts.scenario === 'war' ? Math.round(opts.senders * opts.opponentShare) : 0;
  const streamOfSender = (i: number) =>
    opts.scenario === 'war' ? streams[i < opts.senders - opponentSenders ? 0 : 1]! : streams[i % streams.length]!;
  const perSender = opts.senders > 0 ? Math.ceil(totalGifts(schedule) / opts.senders) : 0;
  const coins = perSender > 0 ? coinsFor(perSender, mix) : 0;
  say(`creating ${opts.senders} sender(s) with ${coins.toLocaleString('en-US')} coins each (${perSender} gifts each)`);
  const senders = await pool(
    Array.from({ length: opts.senders }, (_, i) => i),
    16,
    async (i) => {
      const { user, token } = await api.createUser(`load-${runId}-fan${i + 1}`);
      let purchased = 0;
      while (purchased < coins) {
        const chunk = Math.min(MAX_RECHARGE, coins - purchased);
        const { recharge } = await api.recharge(token, chunk);
        purchased += recharge.coins;
      }
      return { index: i, userId: user.id, token, streamId: streamOfSender(i).id, purchased } satisfies RunSender;
    },
  );

  // Watchers: all of --watchers in the hot room of a war (plus 5% more for the opponent), else spread evenly.
  const watcherRooms: string[] = [];
  if (opts.scenario === 'war') {
    for (let i = 0; i < opts.watchers; i++) watcherRooms.push(streams[0]!.id);
    for (let i = 0; i < Math.ceil(opts.watchers * 0.05); i++) watcherRooms.push(streams[1]!.id);
  } else {
    for (let i = 0; i < opts.watchers; i++) watcherRooms.push(streams[i % streams.length]!.id);
  }
  const watchers = markParsing(watcherRooms, opts.parsePercent);

  let battle: Battle | null = null;
  let battleNote: string | undefined;
  if (opts.scenario === 'war' && !opts.idle) {
    const durationSec = Math.min(600, Math.max(30, Math.ceil(opts.rampUpSec + opts.durationSec + 15)));
    try {
      const [a, b] = streams as [RunStream, RunStream];
      const { battle: pending } = await api.challenge(a.creatorToken, a.id, b.id, durationSec);
      battle = (await api.accept(b.creatorToken, pending.id)).battle;
      say(`battle ${battle.id} is ${battle.status} for ${durationSec} s`);
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      battleNote = `no battle: ${err.message}`;
      say(battleNote);
    }
  }

  return {
    runId,
    streams,
    senders,
    watchers,
    creators: streams.map((s) => ({ streamId: s.id, token: s.creatorToken })),
    mix,
    schedule,
    battle,
    battleNote,
  };
}

/** In every room, the first `percent`% of its watchers (at least 1, and 10 in all when there are 10) parse frames. */
function markParsing(rooms: string[], percent: number): WatcherSpec[] {
  const byRoom = new Map<string, number>();
  for (const r of rooms) byRoom.set(r, (byRoom.get(r) ?? 0) + 1);
  const minTotal = Math.min(10, rooms.length);
  const quota = new Map<string, number>();
  for (const [r, n] of byRoom) {
    const share = Math.max(percent / 100, minTotal / rooms.length);
    quota.set(r, Math.min(n, Math.max(1, Math.ceil(n * share))));
  }
  const used = new Map<string, number>();
  return rooms.map((streamId) => {
    const u = used.get(streamId) ?? 0;
    used.set(streamId, u + 1);
    return { streamId, parse: u < (quota.get(streamId) ?? 0) };
  });
}
