-- battle-accept: the opponent's creator accepts a pending battle; it is active from now until now + duration. The
-- window is copied into both streams, where each gift's room phase checks it against this Redis's clock.
-- KEYS[1] battle:<id>   KEYS[2] stream:<A>   KEYS[3] stream:<B>   KEYS[4] battles:due
-- ARGV[1] battle id   ARGV[2] caller (user id)   ARGV[3] now (ms), '' for this Redis's clock
-- Returns {'OK'} | {'NOT_FOUND'} | {'FORBIDDEN', msg} | {'CONFLICT', msg} | {'STREAM_NOT_LIVE', msg}
-- A second run of the same accept finds the battle active and answers CONFLICT: it changes nothing.
-- @include lib/clock.lua
-- @include lib/battle.lua
local k_battle, k_stream_a, k_stream_b, k_due = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local battle_id, caller, now_arg = ARGV[1], ARGV[2], ARGV[3]

local bt = redis.call('HMGET', k_battle, 'status', 'bCreator', 'expiresAt', 'durationSec')
if not bt[1] then return { 'NOT_FOUND', 'No such battle.' } end
if bt[2] ~= caller then return { 'FORBIDDEN', 'Only the opponent\'s creator may accept.' } end
if bt[1] ~= 'pending' then return { 'CONFLICT', 'The battle is ' .. bt[1] .. '.' } end
local now = battle_now(now_arg)
if now >= tonumber(bt[3]) then return { 'CONFLICT', 'The invitation has expired.' } end
if redis.call('HGET', k_stream_a, 'status') ~= 'live' or redis.call('HGET', k_stream_b, 'status') ~= 'live' then
  return { 'STREAM_NOT_LIVE', 'A stream of this battle has ended.' }
end
local ends_at = now + tonumber(bt[4]) * 1000
redis.call('HSET', k_battle, 'status', 'active', 'startedAt', now, 'endsAt', ends_at)
for _, k in ipairs({ k_stream_a, k_stream_b }) do
  redis.call('HSET', k, 'battleStartedAt', now, 'battleEndsAt', ends_at)
end
redis.call('ZADD', k_due, ends_at, battle_id)
return { 'OK' }
