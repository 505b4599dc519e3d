-- recharge-abandon: a recharge intent whose charge did not happen (declined, or the provider has no record of it),
-- in the buyer's slot: the record is marked failed and the client's key is free again (a refused request binds
-- nothing; a retry gets a new recharge id, so the provider charges it afresh).
-- KEYS[1] recharge:<id>   KEYS[2] recharges:charging (the shard)   KEYS[3] recharge:intent:<uid>:<key>
-- ARGV[1] recharge id   ARGV[2] reason
-- Returns {'OK'} | {'REPLAY'} (not charging any more: nothing changes). Safe to run twice.
local k_recharge, k_charging, k_intent = KEYS[1], KEYS[2], KEYS[3]
if redis.call('HGET', k_recharge, 'status') ~= 'charging' then return { 'REPLAY' } end
redis.call('HSET', k_recharge, 'status', 'failed', 'failureReason', ARGV[2])
redis.call('ZREM', k_charging, ARGV[1])
if redis.call('GET', k_intent) == ARGV[1] then redis.call('DEL', k_intent) end
return { 'OK' }
