-- chargeback-finish: the last step of a chargeback, in the buyer's slot: what is still to recover is booked as
-- unrecoveredCoins (a platform loss) and the chargeback is done.
-- KEYS[1] chargeback:<rechargeId>   KEYS[2] webhooks:outbox (the buyer's shard: `chargeback.applied` is filed there)
-- ARGV[1] recharge id   ARGV[2] webhook event id
-- Returns {'OK'} | {'REPLAY'} (done before) | {'NOT_FOUND'}. Safe to run twice: the state is the marker.
-- @include lib/clock.lua
-- @include lib/webhook-event.lua
local k_cb, k_webhooks = KEYS[1], KEYS[2]
local recharge_id, event_id = ARGV[1], ARGV[2]
local state = redis.call('HGET', k_cb, 'state')
if not state then return { 'NOT_FOUND' } end
if state == 'done' then return { 'REPLAY' } end
redis.call('HSET', k_cb, 'unrecoveredCoins', redis.call('HGET', k_cb, 'remaining'), 'state', 'done')
webhook_event(k_webhooks, event_id, 'chargeback.applied', recharge_id, clock_ms())
return { 'OK' }
