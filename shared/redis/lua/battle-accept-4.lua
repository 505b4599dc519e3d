-- battle-accept: the opponent's creator accepts a pending battle; it is active from now until now + duration.
-- KEYS[1] battle:<id>   KEYS[2] stream:<A>   KEYS[3] stream:<B>   KEYS[4] battles:due
-- ARGV[1] battle id   ARGV[2] caller (user id)   ARGV[3] now (ms)
-- Returns {'OK'} | {'NOT_FOUND'} | {'FORBIDDEN', msg} | {'CONFLICT', msg} | {'STREAM_NOT_LIVE', msg}
-- A second run of the same accept finds the battle active and answers CONFLICT: it changes nothing.
local bt = redis.call('HMGET', KEYS[1], 'status', 'bCreator', 'expiresAt', 'durationSec')
if not bt[1] then return { 'NOT_FOUND', 'No such battle.' } end
if bt[2] ~= ARGV[2] then return { 'FORBIDDEN', 'Only the opponent\'s creator may accept.' } end
if bt[1] ~= 'pending' then return { 'CONFLICT', 'The battle is ' .. bt[1] .. '.' } end
local now = tonumber(ARGV[3])
if now >= tonumber(bt[3]) then return { 'CONFLICT', 'The invitation has expired.' } end
if redis.call('HGET', KEYS[2], 'status') ~= 'live' or redis.call('HGET', KEYS[3], 'status') ~= 'live' then
  return { 'STREAM_NOT_LIVE', 'A stream of this battle has ended.' }
end
local ends_at = now + tonumber(bt[4]) * 1000
redis.call('HSET', KEYS[1], 'status', 'active', 'startedAt', now, 'endsAt', ends_at)
redis.call('ZADD', KEYS[4], ends_at, ARGV[1])
return { 'OK' }
