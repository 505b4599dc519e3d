import { randomUUID } from 'node:crypto';
import { GiftwireError } from '../contracts/errors';
import { MAX_GIFT_COUNT } from '../contracts/limits';
import type { GiftEvent } from '../contracts/models';
import { dayNumber, weekNumber } from '../redis/keys';
import { interpret, script } from '../redis/scripts';
import { findGift } from './catalog';
import type { Deps } from './deps';
import type { AcceptedGift, AcceptGiftInput } from './gift-types';
import { isAdult } from './users';

/**
 * The atomic phase of a gift (lua/gift-accept-19.lua): idempotency, the stream, the self-gift rule, balance, daily
 * limit and rate verdict checked in the contract's order, then the coins held, the gift recorded, queued for
 * settlement and counted on the stream, the leaderboards and any active battle, all in one step.
 *
 * The price comes from the catalog, never the caller. The script needs the keys of the stream's creator boards and
 * battle, so the stream's creatorId and battleId are read first (cached in process); when the script finds the
 * stream's battle changed it answers STALE and this re-reads and retries.
 */
export async function acceptGift(deps: Deps, input: AcceptGiftInput): Promise<AcceptedGift> {
  const now = input.now ?? Date.now();
  const { sender, streamId, count } = input;
  if (!Number.isInteger(count) || count < 1 || count > MAX_GIFT_COUNT) {
    throw new GiftwireError('VALIDATION_FAILED', `count: must be an integer from 1 to ${MAX_GIFT_COUNT}`);
  }
  if (!isAdult(deps, sender, now)) throw new GiftwireError('AGE_RESTRICTED', 'You must be an adult to send gifts.');
  const gift = findGift(input.giftId);
  if (!gift) throw new GiftwireError('NOT_FOUND', 'No such gift.');

  const giftEventId = randomUUID();
  let view = await streamView(deps, streamId, false);
  for (let attempt = 0; attempt < 5; attempt++) {
    const args = giftAcceptArgs(deps, { ...input, now, unitCoins: gift.coins, giftName: gift.name, giftEventId, view });
    const r = interpret(await script(deps.redis, 'giftAccept')(...args));
    if (r.status === 'STALE') {
      view = await streamView(deps, streamId, true);
      continue;
    }
    if (r.status === 'OK') {
      const [combo, seq, coins, held, battleId, creatorId] = r.payload as string[];
      const event: GiftEvent = {
        id: giftEventId,
        streamId,
        sender: { id: sender.id, displayName: sender.displayName },
        giftId: gift.id,
        giftName: gift.name,
        coins: gift.coins,
        count,
        totalCoins: gift.coins * count,
        combo: Number(combo),
        at: now,
      };
      const wallet = { coins: Number(coins), heldCoins: Number(held) };
      return {
        gift: event,
        wallet,
        replay: false,
        creatorId: creatorId!,
        battleId: battleId || null,
        seq: Number(seq),
      };
    }
    return replayed(deps, r.payload[0] as string, giftEventId);
  }
  throw new GiftwireError('UNAVAILABLE', 'The stream kept changing; try again.');
}

export interface GiftAcceptCall extends AcceptGiftInput {
  now: number;
  unitCoins: number;
  giftName: string;
  /** The id the new gift event gets (a repeat of the same call reuses it). */
  giftEventId: string;
  /** The stream's creator and battle as the caller read them (null: no such stream). */
  view: StreamView | null;
}

/** KEYS and ARGV of lua/gift-accept-19.lua, in its header's order. Exported for tests that replay the raw script. */
export function giftAcceptArgs(deps: Deps, c: GiftAcceptCall): (string | number)[] {
  const k = deps.keys;
  const creatorId = c.view?.creatorId ?? '';
  const battleId = c.view?.battleId ?? '';
  const day = dayNumber(c.now);
  const board = (b: string) => [b, k.lbMembers(b)];
  return [
    k.idem(c.sender.id, c.idempotencyKey),
    k.wallet(c.sender.id),
    k.stream(c.streamId),
    k.seq,
    k.streak(c.streamId, c.sender.id, c.giftId),
    k.gift(c.giftEventId),
    k.outbox,
    k.txs(c.sender.id),
    ...board(k.lbStream(c.streamId)),
    ...board(k.lbCreatorDay(creatorId, day)),
    ...board(k.lbCreatorWeek(creatorId, weekNumber(c.now))),
    ...board(k.lbCreatorAll(creatorId)),
    k.battle(battleId),
    ...board(k.lbBattleSide(battleId, c.streamId)),
    `gift|${c.streamId}|${c.giftId}|${c.count}`,
    deps.config.idempotencyTtlSec * 1000,
    c.giftEventId,
    c.sender.id,
    c.sender.displayName,
    c.streamId,
    c.giftId,
    c.giftName,
    c.unitCoins,
    c.count,
    c.now,
    deps.config.streakGapMs,
    creatorId,
    battleId,
    c.rateLimited ? '1' : '0',
    day,
  ];
}

/** A repeat: the first gift, read from its immutable record, with the wallet its acceptance left. */
async function replayed(deps: Deps, res: string, ourId: string): Promise<AcceptedGift> {
  const first = JSON.parse(res) as { id: string; coins: string; held: string };
  const g = await deps.redis.hgetall(deps.keys.gift(first.id));
  const gift: GiftEvent = {
    id: first.id,
    streamId: g.streamId!,
    sender: { id: g.senderId!, displayName: g.senderName! },
    giftId: g.giftId!,
    giftName: g.giftName!,
    coins: Number(g.coins),
    count: Number(g.count),
    totalCoins: Number(g.totalCoins),
    combo: Number(g.combo),
    at: Number(g.at),
  };
  return {
    gift,
    wallet: { coins: Number(first.coins), heldCoins: Number(first.held) },
    // a reply lost on a dropped connection is re-sent by ioredis and answers REPLAY with our own gift: not a repeat
    replay: first.id !== ourId,
    creatorId: g.creatorId!,
    battleId: g.battleId ? g.battleId : null,
    seq: Number(g.seq),
  };
}

export interface StreamView {
  creatorId: string;
  battleId: string;
}

/** creatorId never changes; battleId does, and the script tells us when our copy is out of date. */
const views = new Map<string, StreamView>();
const MAX_VIEWS = 10_000;

export async function streamView(deps: Deps, streamId: string, refresh: boolean): Promise<StreamView | null> {
  const key = deps.keys.stream(streamId);
  const cached = views.get(key);
  if (cached && !refresh) return cached;
  const [creatorId, battleId] = await deps.redis.hmget(key, 'creatorId', 'battleId');
  if (!creatorId) {
    views.delete(key);
    return null;
  }
  const view = { creatorId, battleId: battleId ?? '' };
  if (views.size >= MAX_VIEWS) views.delete(views.keys().next().value!);
  views.set(key, view);
  return view;
}
