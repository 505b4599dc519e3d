-- battle-accept: the opponent's creator accepts a pending battle, in the battle's slot; it is active from now until
-- now + duration. The caller then copies the window into both streams (stream-battle 'window').
-- KEYS[1] battle:<id>
-- ARGV[1] battle id   ARGV[2] caller (user id)   ARGV[3] '1' when both streams were live as the caller read them
-- ARGV[4] now (ms), '' for this Redis's clock
-- Returns {'OK', startedAt, endsAt} | {'NOT_FOUND'} | {'FORBIDDEN', msg} | {'CONFLICT', msg}
--   | {'STREAM_NOT_LIVE', msg}
-- A second run finds the battle active and answers CONFLICT: it changes nothing.
-- @include lib/clock.lua
-- @include lib/battle.lua
local k_battle = KEYS[1]
local battle_id, caller, streams_live, now_arg = ARGV[1], ARGV[2], ARGV[3] == '1', ARGV[4]

local bt = redis.call('HMGET', k_battle, 'status', 'bCreator', 'expiresAt', 'durationSec')
if not bt[1] then return { 'NOT_FOUND', 'No such battle.' } end
if bt[2] ~= caller then return { 'FORBIDDEN', 'Only the opponent\'s creator may accept.' } end
if bt[1] ~= 'pending' then return { 'CONFLICT', 'The battle is ' .. bt[1] .. '.' } end
local now = battle_now(now_arg)
if now >= tonumber(bt[3]) then return { 'CONFLICT', 'The invitation has expired.' } end
if not streams_live then return { 'STREAM_NOT_LIVE', 'A stream of this battle has ended.' } end
local ends_at = now + tonumber(bt[4]) * 1000
redis.call('HSET', k_battle, 'status', 'active', 'startedAt', now, 'endsAt', ends_at)
return { 'OK', tostring(now), tostring(ends_at) }
