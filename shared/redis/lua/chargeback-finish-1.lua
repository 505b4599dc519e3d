-- chargeback-finish: the last step of a chargeback, in the buyer's slot: what is still to recover is booked as
-- unrecoveredCoins (a platform loss) and the chargeback is done.
-- KEYS[1] chargeback:<rechargeId>
-- Returns {'OK'} | {'REPLAY'} (done before) | {'NOT_FOUND'}. Safe to run twice: the state is the marker.
local k_cb = KEYS[1]
local state = redis.call('HGET', k_cb, 'state')
if not state then return { 'NOT_FOUND' } end
if state == 'done' then return { 'REPLAY' } end
redis.call('HSET', k_cb, 'unrecoveredCoins', redis.call('HGET', k_cb, 'remaining'), 'state', 'done')
return { 'OK' }
