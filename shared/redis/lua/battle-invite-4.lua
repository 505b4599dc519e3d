-- battle-invite: the creator of stream A challenges stream B (status pending).
-- KEYS[1] battle:<id>   KEYS[2] stream:<A>   KEYS[3] stream:<B>   KEYS[4] battles:due
-- ARGV[1] battle id   ARGV[2] caller (user id)   ARGV[3] durationSec   ARGV[4] invitation TTL (ms)
-- ARGV[5] now (ms), '' for this Redis's clock
-- Returns {'OK'} | {'REPLAY'} (this very battle id exists already: the write landed, ioredis re-sent it)
--   | {'NOT_FOUND', msg} | {'FORBIDDEN', msg} | {'STREAM_NOT_LIVE', msg} | {'CONFLICT', msg}
-- Checks in the contract's order: permission, existence, state. Nothing is written before every check passed.
-- @include lib/clock.lua
-- @include lib/battle.lua
local k_battle, k_stream_a, k_stream_b, k_due = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local battle_id, caller, duration_sec, invite_ttl, now_arg = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5]

if redis.call('EXISTS', k_battle) == 1 then return { 'REPLAY' } end
local a = redis.call('HMGET', k_stream_a, 'creatorId', 'status', 'battleId', 'id')
if not a[1] then return { 'NOT_FOUND', 'No such stream.' } end
if a[1] ~= caller then return { 'FORBIDDEN', 'Only the creator of streamId may challenge.' } end
local b = redis.call('HMGET', k_stream_b, 'creatorId', 'status', 'battleId', 'id')
if not b[1] then return { 'NOT_FOUND', 'No such opponent stream.' } end
if a[2] ~= 'live' then return { 'STREAM_NOT_LIVE', 'Your stream has ended.' } end
if b[2] ~= 'live' then return { 'STREAM_NOT_LIVE', 'The opponent stream has ended.' } end
if a[1] == b[1] then return { 'FORBIDDEN', 'A creator cannot battle their own stream.' } end
if a[3] and a[3] ~= '' then return { 'CONFLICT', 'Your stream is already in a battle.' } end
if b[3] and b[3] ~= '' then return { 'CONFLICT', 'The opponent stream is already in a battle.' } end

local now = battle_now(now_arg)
local expires_at = now + tonumber(invite_ttl)
redis.call('HSET', k_battle, 'id', battle_id, 'status', 'pending', 'aStream', a[4], 'bStream', b[4],
  'aCreator', a[1], 'bCreator', b[1], 'durationSec', duration_sec, 'createdAt', now, 'expiresAt', expires_at,
  'aScore', 0, 'bScore', 0, 'winnerStreamId', '', 'endReason', '')
redis.call('HSET', k_stream_a, 'battleId', battle_id)
redis.call('HSET', k_stream_b, 'battleId', battle_id)
redis.call('ZADD', k_due, expires_at, battle_id)
return { 'OK' }
