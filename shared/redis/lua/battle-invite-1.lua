-- battle-invite: records a pending battle, in the battle's slot, once both streams have been claimed for it.
-- KEYS[1] battle:<id>
-- ARGV[1] battle id   ARGV[2] stream A   ARGV[3] stream B   ARGV[4] creator A   ARGV[5] creator B
-- ARGV[6] durationSec   ARGV[7] invitation TTL (ms)   ARGV[8] now (ms), '' for this Redis's clock
-- Returns {'OK', expiresAt} | {'REPLAY', expiresAt} (this very battle exists already)
-- @include lib/clock.lua
-- @include lib/battle.lua
local k_battle = KEYS[1]
local battle_id, a_stream, b_stream, a_creator, b_creator = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5]
local duration_sec, invite_ttl, now_arg = ARGV[6], ARGV[7], ARGV[8]

if redis.call('EXISTS', k_battle) == 1 then return { 'REPLAY', redis.call('HGET', k_battle, 'expiresAt') } end
local now = battle_now(now_arg)
local expires_at = now + tonumber(invite_ttl)
redis.call('HSET', k_battle, 'id', battle_id, 'status', 'pending', 'aStream', a_stream, 'bStream', b_stream,
  'aCreator', a_creator, 'bCreator', b_creator, 'durationSec', duration_sec, 'createdAt', now,
  'expiresAt', expires_at, 'aScore', 0, 'bScore', 0, 'winnerStreamId', '', 'endReason', '')
return { 'OK', tostring(expires_at) }
