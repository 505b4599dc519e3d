import { randomUUID } from 'node:crypto';

/**
 * Every Redis key name Giftwire uses, in one place; docs/ARCHITECTURE.md ("Key map") says which owner tags which.
 *
 * Shape: `${prefix}:{<tag>}:<rest>`. The prefix (KEY_PREFIX; tests use a unique one per file) stays outside the
 * braces; the hash tag names the key's owner, and a Lua script only ever touches keys of one tag, so every script
 * runs on Redis Cluster, where the owners spread over the masters. A single Redis holds every slot: nothing changes.
 *
 * Owners:
 *   {u<n>}       a user shard: the money of every user whose id hashes to n (wallet, idempotency, history, gift
 *                records, recharges, payouts, the shard's outbox and pending payouts, the gift rate bucket)
 *   {s:<sid>}    one stream's room (the stream, totals, its board, streaks, goals, viewers, push gates, battle sides)
 *   {c:<cid>}    one creator (creator-wide leaderboards, the live-stream pointer)
 *   {b:<bid>}    one battle's state machine
 *   {g:<gid>}    one goal's pointer to its stream (the goal itself is in its stream's slot)
 *   {ov:<key>}   one overlay secret
 *   {users} {streams} {battles} {processes}   platform indexes, one tag each
 */

/**
 * Number of user shards. It can never change for a deployment: every user's money, and every record id minted for
 * it, is filed under its shard. 64 slots spread evenly over any realistic number of masters.
 */
export const USER_SHARDS = 64;

/** FNV-1a (32 bits) of a string: stable across processes and versions, which is all a shard function needs. */
function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/** The shard of a user id. */
export function userShard(userId: string): number {
  return fnv1a(userId) % USER_SHARDS;
}

/**
 * A new UUID (v4) for a record that lives in `shard` (a gift event, a recharge, a payout): its last byte names the
 * shard, so the record's key follows from its id alone (a settlement job or a payout job carries only the id).
 */
export function mintId(shard: number): string {
  return `${randomUUID().slice(0, -2)}${shard.toString(16).padStart(2, '0')}`;
}

/** The shard an id minted by mintId belongs to. */
export function idShard(id: string): number {
  const n = Number.parseInt(id.slice(-2), 16);
  return Number.isNaN(n) ? fnv1a(id) % USER_SHARDS : n % USER_SHARDS;
}

export function createKeys(prefix: string) {
  const u = (shard: number) => `${prefix}:{u${shard}}`;
  const ofUser = (userId: string) => u(userShard(userId));
  const ofRecord = (id: string) => u(idShard(id));
  const s = (streamId: string) => `${prefix}:{s:${streamId}}`;
  const c = (creatorId: string) => `${prefix}:{c:${creatorId}}`;
  return {
    prefix,

    // ---- a user shard {u<n>}: a user's money and everything written with it ---------------------------------
    /** HASH id, displayName, birthDate, verified(0|1), followers, createdAt, overlayKey */
    user: (userId: string) => `${ofUser(userId)}:user:${userId}`,
    /** STRING JSON OverlaySettings the creator saved (absent: the defaults). */
    overlaySettings: (creatorId: string) => `${ofUser(creatorId)}:user:${creatorId}:overlay-settings`,
    /**
     * HASH of integers, absent = 0:
     *   coins (available), held (reserved by unsettled gifts), spent (settled gifts), purchased (all recharges),
     *   spentDay (UTC day number, by Redis TIME, of spentToday), spentToday, limit (daily spend limit; absent = none),
     *   received (coins received as creator, settled), diamondsEarned, diamonds (balance), diamondsPaidOut,
     *   txSeq (the user's own counter: orders their history),
     *   giftRateLevel, giftRateAt (the gift rate's token bucket: thousandths of a token, ms of the last take; absent =
     *   full; lua/lib/token-bucket.lua)
     */
    wallet: (userId: string) => `${ofUser(userId)}:wallet:${userId}`,
    /** STRING JSON { fp, res } of the first successful answer for (user, Idempotency-Key); PX = idempotency TTL. */
    idem: (userId: string, key: string) => `${ofUser(userId)}:idem:${userId}:${key}`,
    /** STRING lock while a request holding (user, key) is in flight (recharges call a provider first). */
    idemLock: (userId: string, key: string) => `${ofUser(userId)}:idemlock:${userId}:${key}`,
    /** ZSET member `${type}:${refId}` scored by the wallet's txSeq: the user's history, newest = highest. */
    txs: (userId: string) => `${ofUser(userId)}:txs:${userId}`,
    /** rate-limiter-flexible key (after its keyPrefix `rateLimit`): the user's gift rate bucket, in their shard. */
    rateBucket: (userId: string) => `{u${userShard(userId)}}:${userId}`,
    /**
     * STRING the recharge id a (user, Idempotency-Key) charges under: minted before the provider is called and
     * given to it as its idempotency key, so a retry of the same request is the same charge.
     */
    rechargeIntent: (userId: string, key: string) => `${ofUser(userId)}:recharge:intent:${userId}:${key}`,
    /** ZSET recharge ids of shard n whose charge may have happened but is not recorded yet, by intent time (ms). */
    rechargesCharging: (shard: number) => `${u(shard)}:recharges:charging`,
    /** HASH the sandbox payment provider's own records: charge idempotency key -> JSON ChargeResult. */
    sandboxCharges: `${prefix}:{sandbox}:charges`,
    /** HASH id, userId, coins, priceCents, currency, packageId, status, at (id minted in the buyer's shard) */
    recharge: (rechargeId: string) => `${ofRecord(rechargeId)}:recharge:${rechargeId}`,
    /**
     * HASH the immutable gift event (GiftEvent fields flattened; `giftId` is the catalog slug) + creatorId, senderId,
     * status (held | settled | voided), settledAt, diamonds, voidedAt. Keyed by the gift event's id, minted in the
     * sender's shard.
     */
    gift: (giftEventId: string) => `${ofRecord(giftEventId)}:gift:${giftEventId}`,
    /** ZSET gift event ids held in shard n, scored by acceptance time (ms, Redis TIME): the shard's outbox. */
    outbox: (shard: number) => `${u(shard)}:outbox`,
    /**
     * HASH the creator's side of a settled gift, written once by gift-credit: totalCoins, diamonds, settledAt,
     * senderId. Its existence is the "credited" marker (exactly once); the creator's history reads it.
     */
    credit: (creatorId: string, giftEventId: string) => `${ofUser(creatorId)}:credit:${giftEventId}`,
    /**
     * HASH a chargeback's state machine, in the buyer's shard (lua/chargeback-open-5.lua): rechargeId, userId, coins,
     * recoveredCoins, voidedGifts, clawedBackDiamonds, unrecoveredCoins, remaining, state (open | done), createdAt
     */
    chargeback: (rechargeId: string) => `${ofRecord(rechargeId)}:chargeback:${rechargeId}`,
    /** SET gift event ids a chargeback voided: their room and board counts are taken back (idempotently). */
    chargebackVoided: (rechargeId: string) => `${ofRecord(rechargeId)}:chargeback:${rechargeId}:voided`,
    /** HASH id, userId, diamonds, amountCents, currency, destination, status, createdAt, paidAt, failedAt */
    payout: (payoutId: string) => `${ofRecord(payoutId)}:payout:${payoutId}`,
    /** ZSET the creator's payout ids scored by their txSeq. */
    payouts: (userId: string) => `${ofUser(userId)}:payouts:${userId}`,
    /**
     * ZSET the creator's diamonds still on hold (EARNINGS_HOLD_SEC): member `${giftEventId}:${diamonds}` scored by
     * when they become withdrawable (ms); entries past that are dropped by the scripts that read it.
     */
    earningsHold: (creatorId: string) => `${ofUser(creatorId)}:earnings:hold:${creatorId}`,
    /** SET the link keys this user belongs to (`fp:<fingerprint>`, `dest:<destination>`): accounts linked to them. */
    userLinks: (userId: string) => `${ofUser(userId)}:links:${userId}`,
    /** HASH destination -> JSON { id, destination, usableAt, createdAt }: the creator's registered payout accounts. */
    payoutDestinations: (userId: string) => `${ofUser(userId)}:payout:destinations:${userId}`,
    /** ZSET payout ids of shard n still pending, scored by request time (ms): the sweeper re-enqueues stale ones. */
    payoutsPending: (shard: number) => `${u(shard)}:payouts:pending`,

    // ---- a stream's room {s:<sid>} ------------------------------------------------------------------------
    /**
     * HASH id, creatorId, title, status(live|ended), startedAt, endedAt, totalCoins, giftCount, seq (the room's own
     * counter: tie-breaks on its boards), battleId ('' when none), battleStartedAt, battleEndsAt (the active battle's
     * window, copied here so that a gift's room phase checks it in this slot)
     */
    stream: (streamId: string) => `${s(streamId)}:stream`,
    /** STRING JSON verdict of a gift's room phase, by gift event id: a rerun answers the same and counts nothing. */
    roomGift: (streamId: string, giftEventId: string) => `${s(streamId)}:gift:${giftEventId}`,
    /** HASH processId -> number of sockets of that process in the stream's room. */
    viewers: (streamId: string) => `${s(streamId)}:viewers`,
    /**
     * HASH sig, at: what was last pushed to a stream's room for `kind` (leaderboard | viewers) and when, so that
     * server processes push only on change and at most once per interval between them all.
     */
    pushGate: (kind: 'leaderboard' | 'viewers' | 'goal', streamId: string) => `${s(streamId)}:pushgate:${kind}`,
    /**
     * A leaderboard is a ZSET whose members all score 0 and sort by their text
     *   `${15-digit (MAX - coins)}:${15-digit order}:${userId}`
     * so the highest coins come first and ties go to whoever reached the score first (lower order: the owner's own
     * counter), exactly, with no float precision limits; plus a HASH `${board}:m` userId -> current member.
     */
    lbStream: (streamId: string) => `${s(streamId)}:lb`,
    /** HASH score: one side of a battle, in that side's stream slot. */
    battleSide: (battleId: string, streamId: string) => `${s(streamId)}:battle:${battleId}`,
    /** The side's MVP board (a leaderboard). */
    lbBattleSide: (battleId: string, streamId: string) => `${s(streamId)}:lb:battle:${battleId}`,
    lbMembers: (board: string) => `${board}:m`,
    // live experience (#17): streaks and goals, in the stream's slot
    /**
     * HASH `${senderId}:${giftId}` (a closed streak not yet announced: `:${firstAt}` added) -> JSON streak state
     * { senderId, senderName, giftId, giftName, combo, totalCoins, firstAt, lastAt } (lua/lib/streak.lua).
     */
    streaks: (streamId: string) => `${s(streamId)}:streaks`,
    /** ZSET the members of `streaks` scored by their deadline (lastAt + STREAK_GAP_MS): when their end is due. */
    streaksDue: (streamId: string) => `${s(streamId)}:streaks:due`,
    /**
     * HASH id, streamId, title, targetCoins, giftId ('' every gift), progressCoins, status (active | reached |
     * ended), createdAt, reachedAt ('' until reached). The stream's `goalId` field names its unended goal.
     */
    goal: (streamId: string, goalId: string) => `${s(streamId)}:goal:${goalId}`,
    /** ZSET the stream's goal ids scored by createdAt. */
    streamGoals: (streamId: string) => `${s(streamId)}:goals`,

    // ---- a creator {c:<cid>} ------------------------------------------------------------------------------
    /** STRING the creator's live stream id (one live stream at a time). */
    creatorLive: (creatorId: string) => `${c(creatorId)}:live`,
    /** STRING the creator's own counter: tie-breaks on the creator's boards. */
    creatorSeq: (creatorId: string) => `${c(creatorId)}:seq`,
    /** STRING marker (with expiry) that a gift event was counted on the creator's boards. */
    creatorCounted: (creatorId: string, giftEventId: string) => `${c(creatorId)}:counted:${giftEventId}`,
    lbCreatorDay: (creatorId: string, day: number) => `${c(creatorId)}:lb:day:${day}`,
    lbCreatorWeek: (creatorId: string, week: number) => `${c(creatorId)}:lb:week:${week}`,
    lbCreatorAll: (creatorId: string) => `${c(creatorId)}:lb:all`,
    // leaderboards (#17): hour (hours since the epoch) and month (UTC year * 12 + month index) boards
    lbCreatorHour: (creatorId: string, hour: number) => `${c(creatorId)}:lb:hour:${hour}`,
    lbCreatorMonth: (creatorId: string, month: number) => `${c(creatorId)}:lb:month:${month}`,

    // ---- a battle {b:<bid>} -------------------------------------------------------------------------------
    /**
     * HASH id, status, aStream, bStream, aCreator, bCreator, durationSec, createdAt, expiresAt, startedAt, endsAt,
     *   endedAt, aScore, bScore (final scores, written when it closes), winnerStreamId ('' none or tie), endReason
     */
    battle: (battleId: string) => `${prefix}:{b:${battleId}}:battle`,

    // ---- platform indexes, one tag each --------------------------------------------------------------------
    /** SET of all user ids (reconciliation walks it). */
    users: `${prefix}:{users}:all`,
    /** ZSET live stream ids scored by startedAt. */
    liveStreams: `${prefix}:{streams}:live`,
    /**
     * ZSET pending and active battle ids scored by when something is due (expiresAt while pending, endsAt while
     * active), so the sweeper finds every due battle even when its BullMQ timer was never added.
     */
    battlesDue: `${prefix}:{battles}:due`,
    /** ZSET processId scored by last heartbeat (ms): viewer counts of dead processes are ignored. */
    processes: `${prefix}:{processes}:all`,
    /** SET user ids that paid with one payment fingerprint (the provider's card fingerprint). */
    fingerprintUsers: (fingerprint: string) => `${prefix}:{fp:${fingerprint}}:users`,
    /** SET user ids that registered one payout destination. */
    destinationUsers: (destination: string) => `${prefix}:{dest:${destination}}:users`,
    /** STREAM fraud signals an operator can act on (GET /v1/admin/flags): kind, userId, linkedUserId, via, ... */
    flags: `${prefix}:{flags}:log`,
    /** STRING marker: a gift already flagged (so a re-settled gift is flagged once). */
    flaggedGift: (giftEventId: string) => `${prefix}:{flags}:gift:${giftEventId}`,
    /** ZSET recharge ids charged back, scored by when: the operator's report of losses walks it. */
    chargebacks: `${prefix}:{chargebacks}:all`,
    /** STREAM the operator audit log: who, what, which target, details (JSON); ids are time-ordered. */
    audit: `${prefix}:{audit}:log`,
    /** STRING overlay secret -> creator id */
    overlayKey: (key: string) => `${prefix}:{ov:${key}}:overlay`,
    // live experience (#17)
    /** STRING goal id -> its stream id (the goal itself lives in the stream's slot). */
    goalStream: (goalId: string) => `${prefix}:{g:${goalId}}:stream`,
    /**
     * SET stream ids that may have streaks to end: added (once per process and stream) before a gift's room phase
     * writes a deadline, removed by a streak poller once the stream has ended and has none left (race-free: an
     * ended stream's room phase refuses every gift).
     */
    streakStreams: `${prefix}:{streaks}:streams`,

    // ---- webhooks (issue #18; docs/ARCHITECTURE.md "Webhooks") -------------------------------------------------
    /**
     * ZSET the webhooks outbox of one owner slot: member = event JSON { id, type, createdAt, ref }, scored by
     * createdAt (ms), written by the script that makes the change it reports. `owner` is the tag without braces:
     * `u<n>` (a user shard: recharges, settled gifts, payouts, chargebacks), `s:<sid>` (a stream), `b:<bid>` (a
     * battle).
     */
    webhookOutbox: (owner: string) => `${prefix}:{${owner}}:webhooks:outbox`,
    /**
     * ZSET stream and battle owner tags whose outbox may hold events, scored by when last listed (ms): listed before
     * any script that may file an event there (user shards are a fixed list and are not listed).
     */
    webhookOwners: `${prefix}:{webhooks}:owners`,
    /** HASH webhook id -> JSON { id, url, events, secret, createdAt }: the registered webhooks. */
    webhooks: `${prefix}:{webhooks}:all`,
    /** ZSET event ids delivered (or to be) to one webhook, scored by the event's createdAt: its delivery log. */
    webhookDeliveries: (webhookId: string) => `${prefix}:{wh:${webhookId}}:deliveries`,
    /** HASH eventId, type, status, attempts, lastStatusCode, lastAttemptAt, createdAt, body: one delivery. */
    webhookDelivery: (webhookId: string, eventId: string) => `${prefix}:{wh:${webhookId}}:delivery:${eventId}`,

    // ---- creator rankings (#17): a platform index, all periods (`hour:<n>`, `day:<n>`, `week:<n>`, `month:<n>`,
    // `all`) in one slot, so that a settlement job counts its gifts on every period in one call with one marker each
    /** A leaderboard (see lbStream) of creators by coins received in that period; members name creator ids. */
    lbCreators: (period: string) => `${prefix}:{lbc}:${period}:lb`,
    /** STRING the period's own counter: tie-breaks on its board. */
    lbCreatorsSeq: (period: string) => `${prefix}:{lbc}:${period}:seq`,
    /** STRING marker (with expiry) that a gift event was counted ('1') or taken back ('u') on the rankings. */
    lbCreatorsCounted: (giftEventId: string) => `${prefix}:{lbc}:counted:${giftEventId}`,

    // ---- infrastructure -----------------------------------------------------------------------------------
    /** STRING time of the last readiness probe: /health/ready writes it (with an expiry) to prove Redis takes writes. */
    health: `${prefix}:health`,
    /** BullMQ `prefix` option: queues live under it, each in the slot of the hash tag in its name (QUEUES). */
    bullPrefix: `${prefix}:bull`,
    /** Socket.io Redis adapter / emitter channel prefix: on a cluster each room's channel hashes on its own. */
    socketChannel: `${prefix}:socket.io`,
    /** rate-limiter-flexible keyPrefix; the key after it is `rateBucket(userId)`. */
    rateLimit: `${prefix}:rl`,
  };
}

export type Keys = ReturnType<typeof createKeys>;

/** UTC day number (days since the epoch) and Monday-based week number, as used in leaderboard keys. */
export function dayNumber(ms: number): number {
  return Math.floor(ms / 86_400_000);
}
export function weekNumber(ms: number): number {
  // 1970-01-01 was a Thursday; shifting by 3 days makes weeks start on Monday 00:00 UTC.
  return Math.floor((dayNumber(ms) + 3) / 7);
}
