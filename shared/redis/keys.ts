/**
 * Every Redis key name Giftwire uses, in one place. See docs/ARCHITECTURE.md for what each holds.
 *
 * All keys of one deployment share the hash tag `{prefix}`, so every script's keys sit in one slot and the
 * design survives a move to Redis Cluster (one slot per deployment; shard by deployment/prefix).
 * Tests give each file its own prefix, which also isolates BullMQ queues and Socket.io adapter channels.
 */
export function createKeys(prefix: string) {
  const p = `{${prefix}}`;
  return {
    prefix,
    /** Global, monotonic sequence: acceptance order of gifts, order of transactions, leaderboard tie-breaks. */
    seq: `${p}:seq`,

    // ---- users -------------------------------------------------------------------------------
    /** HASH id, displayName, birthDate, verified(0|1), followers, createdAt, overlayKey */
    user: (userId: string) => `${p}:user:${userId}`,
    /** SET of all user ids (reconciliation walks it). */
    users: `${p}:users`,
    /** STRING overlay secret -> creator id */
    overlayKey: (key: string) => `${p}:overlay:${key}`,

    // ---- wallet ------------------------------------------------------------------------------
    /**
     * HASH of integers, absent = 0:
     *   coins (available), held (reserved by unsettled gifts), spent (settled gifts), purchased (all recharges),
     *   spentDay (UTC day number of spentToday), spentToday, limit (daily spend limit; absent = none),
     *   received (coins received as creator, settled), diamondsEarned, diamonds (balance), diamondsPaidOut
     */
    wallet: (userId: string) => `${p}:wallet:${userId}`,
    /** STRING JSON { fp, res } of the first successful answer for (user, Idempotency-Key); PX = idempotency TTL. */
    idem: (userId: string, key: string) => `${p}:idem:${userId}:${key}`,
    /** STRING lock while a request holding (user, key) is in flight (recharges call a provider first). */
    idemLock: (userId: string, key: string) => `${p}:idemlock:${userId}:${key}`,
    /** ZSET member `${type}:${refId}` scored by seq: the user's transaction history, newest = highest. */
    txs: (userId: string) => `${p}:txs:${userId}`,
    /** HASH id, userId, coins, priceCents, currency, packageId, status, at */
    recharge: (id: string) => `${p}:recharge:${id}`,

    // ---- streams and gifts ---------------------------------------------------------------------
    /** HASH id, creatorId, title, status(live|ended), startedAt, endedAt, totalCoins, giftCount, battleId('' when none) */
    stream: (streamId: string) => `${p}:stream:${streamId}`,
    /** STRING the creator's live stream id (one live stream at a time). */
    creatorLive: (creatorId: string) => `${p}:creator:${creatorId}:live`,
    /** ZSET live stream ids scored by startedAt. */
    liveStreams: `${p}:streams:live`,
    /** HASH the gift event (GiftEvent fields flattened) + creatorId, senderId, status(held|settled), seq, settledAt, diamonds */
    gift: (giftId: string) => `${p}:gift:${giftId}`,
    /** ZSET gift ids accepted but not yet settled, scored by acceptance time (ms). The settlement outbox. */
    outbox: `${p}:outbox`,
    /** STRING combo counter of (stream, sender, gift); expires after the streak gap. */
    streak: (streamId: string, senderId: string, giftId: string) => `${p}:streak:${streamId}:${senderId}:${giftId}`,
    /** HASH processId -> number of sockets of that process in the stream's room. */
    viewers: (streamId: string) => `${p}:viewers:${streamId}`,
    /** ZSET processId scored by last heartbeat (ms): viewer counts of dead processes are ignored. */
    processes: `${p}:processes`,
    /**
     * HASH sig, at: what was last pushed to a stream's room for `kind` (leaderboard | viewers) and when, so that
     * server processes push only on change and at most once per interval between them all.
     */
    pushGate: (kind: 'leaderboard' | 'viewers', streamId: string) => `${p}:pushgate:${kind}:${streamId}`,

    // ---- leaderboards ------------------------------------------------------------------------
    /**
     * A leaderboard is a ZSET whose members all score 0 and sort by their text
     *   `${15-digit (MAX - coins)}:${15-digit seq}:${userId}`
     * so the highest coins come first and ties go to whoever reached the score first (lower seq),
     * exactly, with no float precision limits; plus a HASH `${board}:m` userId -> current member.
     */
    lbStream: (streamId: string) => `${p}:lb:stream:${streamId}`,
    lbCreatorDay: (creatorId: string, day: number) => `${p}:lb:creator:${creatorId}:day:${day}`,
    lbCreatorWeek: (creatorId: string, week: number) => `${p}:lb:creator:${creatorId}:week:${week}`,
    lbCreatorAll: (creatorId: string) => `${p}:lb:creator:${creatorId}:all`,
    lbBattleSide: (battleId: string, streamId: string) => `${p}:lb:battle:${battleId}:${streamId}`,
    lbMembers: (board: string) => `${board}:m`,

    // ---- battles -----------------------------------------------------------------------------
    /**
     * HASH id, status, aStream, bStream, aCreator, bCreator, durationSec, createdAt, expiresAt, startedAt, endsAt,
     *   endedAt, aScore, bScore, winnerStreamId ('' none or tie), endReason
     */
    battle: (battleId: string) => `${p}:battle:${battleId}`,
    /**
     * ZSET pending and active battle ids scored by when something is due (expiresAt while pending, endsAt while
     * active); written by the same scripts that change a battle's status, so the sweeper finds every due battle
     * even when its BullMQ timer was never added (a process died between the script and the add).
     */
    battlesDue: `${p}:battles:due`,

    // ---- payouts -----------------------------------------------------------------------------
    /** HASH id, userId, diamonds, amountCents, currency, destination, status(pending|paid|failed), createdAt, paidAt, failedAt */
    payout: (payoutId: string) => `${p}:payout:${payoutId}`,
    /** ZSET the creator's payout ids scored by seq. */
    payouts: (userId: string) => `${p}:payouts:${userId}`,
    /** ZSET payout ids still pending, scored by request time (ms): the sweeper re-enqueues stale ones. */
    payoutsPending: `${p}:payouts:pending`,

    // ---- infrastructure ----------------------------------------------------------------------
    /** STRING time of the last readiness probe: /health/ready writes it (with an expiry) to prove Redis takes writes. */
    health: `${p}:health`,
    /** BullMQ `prefix` option: queues live under it. */
    bullPrefix: `${p}:bull`,
    /** Socket.io Redis adapter / emitter channel key. */
    socketChannel: `${p}:socket.io`,
    /** rate-limiter-flexible keyPrefix. */
    rateLimit: `${p}:rl`,
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
