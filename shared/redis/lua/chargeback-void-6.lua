-- chargeback-void: a chargeback voids one held gift of the buyer, in the buyer's slot, after chargeback-fence. The
-- hold is released; of its coins, what the chargeback still needs is taken back (wallet chargedBack), the rest
-- returns to the buyer's available coins. The gift is marked voided by this chargeback and joins the set of gifts
-- whose room and boards counts must be taken back (gift-unapply, gift-boards-unapply).
-- KEYS[1] chargeback:<rechargeId>   KEYS[2] gift:<giftEventId>   KEYS[3] wallet:<buyer>   KEYS[4] outbox (the shard)
-- KEYS[5] txs:<buyer>   KEYS[6] chargeback:<rechargeId>:voided (set of gift ids)
-- ARGV[1] recharge id   ARGV[2] gift event id
-- Returns {'OK', taken} | {'REPLAY'} (voided by this chargeback before) | {'DONE'} (nothing left to recover)
--   | {'SKIP'} (not a held gift of this buyer: settled, voided otherwise, or unknown) | {'NOT_FOUND'} (no chargeback)
-- Safe to run twice: the gift's voidedBy is the marker.
-- @include lib/ints.lua
-- @include lib/clock.lua
local k_cb, k_gift, k_wallet, k_outbox, k_txs, k_voided = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6]
local recharge_id, gift_event_id = ARGV[1], ARGV[2]

local cb = redis.call('HMGET', k_cb, 'userId', 'remaining')
if not cb[1] then return { 'NOT_FOUND' } end
local g = redis.call('HMGET', k_gift, 'status', 'senderId', 'totalCoins', 'at', 'voidedBy')
if g[5] == recharge_id then return { 'REPLAY' } end
local remaining = int_of(cb[2])
if remaining == 0 then return { 'DONE' } end
if g[1] ~= 'held' or g[2] ~= cb[1] then return { 'SKIP' } end
local total = int_of(g[3])
local w = redis.call('HMGET', k_wallet, 'held', 'spentDay', 'spentToday')
if int_of(w[1]) < total then return { 'INTERNAL', 'The buyer\'s held coins are below this gift: reconcile.' } end

local take = math.min(total, remaining)
redis.call('HINCRBY', k_wallet, 'held', int_str(-total))
redis.call('HINCRBY', k_wallet, 'chargedBack', int_str(take))
redis.call('HINCRBY', k_wallet, 'coins', int_str(total - take))
if w[2] and int_of(w[2]) == clock_day(int_of(g[4])) then
  redis.call('HSET', k_wallet, 'spentToday', int_str(math.max(0, int_of(w[3]) - total)))
end
redis.call('HSET', k_gift, 'status', 'voided', 'voidedAt', int_str(clock_ms()), 'voidedBy', recharge_id)
redis.call('ZREM', k_outbox, gift_event_id)
redis.call('ZREM', k_txs, 'gift_sent:' .. gift_event_id)
redis.call('SADD', k_voided, gift_event_id)
redis.call('HINCRBY', k_cb, 'remaining', int_str(-take))
redis.call('HINCRBY', k_cb, 'recoveredCoins', int_str(take))
redis.call('HINCRBY', k_cb, 'voidedGifts', 1)
redis.call('HINCRBY', k_cb, 'takenFromBuyer', int_str(take))
return { 'OK', int_str(take) }
