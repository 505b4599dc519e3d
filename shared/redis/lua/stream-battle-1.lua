-- stream-battle: a stream's side of a battle, in the stream's slot: its pointer to the battle it is in (one at a
-- time) and the battle's window, which each gift's room phase checks.
-- KEYS[1] stream:<id>
-- ARGV[1] 'claim' | 'release' | 'window'   ARGV[2] battle id
-- ARGV[3] claim: a stale battle id the caller found closed (or never created) and may replace, '' none;
--         window: startedAt (ms)
-- ARGV[4] window: endsAt (ms)
-- Returns claim:   {'OK'} | {'NOT_FOUND'} | {'STREAM_NOT_LIVE'} | {'CONFLICT', currentBattleId, claimedAt}
--         release: {'OK'} (cleared, or it pointed elsewhere: nothing to do)
--         window:  {'OK', 1|0} (1: written; 0: the stream no longer points at this battle)
-- Safe to run twice.
-- @include lib/clock.lua
local k_stream = KEYS[1]
local action, battle_id, arg3, arg4 = ARGV[1], ARGV[2], ARGV[3], ARGV[4]

local s = redis.call('HMGET', k_stream, 'status', 'battleId', 'battleClaimedAt')
local current = s[2] or ''
if action == 'release' then
  if current == battle_id then
    redis.call('HSET', k_stream, 'battleId', '')
    redis.call('HDEL', k_stream, 'battleClaimedAt', 'battleStartedAt', 'battleEndsAt')
  end
  return { 'OK' }
end
if action == 'window' then
  if current ~= battle_id then return { 'OK', 0 } end
  redis.call('HSET', k_stream, 'battleStartedAt', arg3, 'battleEndsAt', arg4)
  return { 'OK', 1 }
end
if not s[1] then return { 'NOT_FOUND' } end
if s[1] ~= 'live' then return { 'STREAM_NOT_LIVE' } end
if current == battle_id then return { 'OK' } end
if current ~= '' and current ~= arg3 then return { 'CONFLICT', current, s[3] or '0' } end
redis.call('HSET', k_stream, 'battleId', battle_id, 'battleClaimedAt', tostring(clock_ms()))
redis.call('HDEL', k_stream, 'battleStartedAt', 'battleEndsAt')
return { 'OK' }
