-- battle-close: brings a battle up to date at `now`; the one script behind every system-driven end
-- (the timer worker, the sweeper, the forfeit after a stream ends, lazy reads). Safe to run any number of times:
-- a battle that has nothing due is left alone, a closed battle is never touched again.
--   pending: a stream of it has ended          -> cancelled, endReason 'stream_ended', endedAt = that stream's end
--            now >= expiresAt                  -> expired,   endReason 'expired',      endedAt = expiresAt
--   active:  a stream ended before endsAt      -> ended, endReason 'forfeit', the other side wins,
--                                                 endedAt = that stream's end (the earlier one if both ended)
--            now >= endsAt                     -> ended, endReason 'time', the higher score wins ('' on a tie),
--                                                 endedAt = endsAt (scores froze then, whenever this runs)
-- The sides' scores (counted in each stream's slot by the gifts' room phase) are copied into the battle as it closes.
-- KEYS[1] battle:<id>   KEYS[2] stream:<A>   KEYS[3] stream:<B>   KEYS[4] battles:due   KEYS[5] side A
-- KEYS[6] side B
-- ARGV[1] battle id   ARGV[2] now (ms), '' for this Redis's clock
-- Returns {'OK', changed (1|0), status} | {'NOT_FOUND'}
-- @include lib/clock.lua
-- @include lib/battle.lua
-- @include lib/ints.lua
local k_battle, k_stream_a, k_stream_b, k_due, k_side_a, k_side_b = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6]
local battle_id, now_arg = ARGV[1], ARGV[2]

local bt = redis.call('HMGET', k_battle, 'status', 'aStream', 'bStream', 'expiresAt', 'endsAt')
if not bt[1] then return { 'NOT_FOUND', 'No such battle.' } end
local status = bt[1]
if status ~= 'pending' and status ~= 'active' then return { 'OK', 0, status } end
local now = battle_now(now_arg)

-- The stream of this battle that ended first (before `before`, when given), and when.
local function first_ended(before)
  local who, at = nil, nil
  for i, k in ipairs({ k_stream_a, k_stream_b }) do
    local s = redis.call('HMGET', k, 'status', 'endedAt')
    if s[1] == 'ended' then
      local t = tonumber(s[2]) or now
      if (before == nil or t < before) and (at == nil or t < at) then who, at = i, t end
    end
  end
  return who, at
end

if status == 'pending' then
  local who, at = first_ended(nil)
  if who then
    battle_close(k_battle, k_stream_a, k_stream_b, k_due, battle_id, 'cancelled', 'stream_ended', at, nil)
    return { 'OK', 1, 'cancelled' }
  end
  local expires_at = tonumber(bt[4])
  if now < expires_at then return { 'OK', 0, status } end
  battle_close(k_battle, k_stream_a, k_stream_b, k_due, battle_id, 'expired', 'expired', expires_at, nil)
  return { 'OK', 1, 'expired' }
end

local ends_at = tonumber(bt[5])
local who, at = first_ended(ends_at)
if not who and now < ends_at then return { 'OK', 0, status } end
local a, b = int_of(redis.call('HGET', k_side_a, 'score')), int_of(redis.call('HGET', k_side_b, 'score'))
redis.call('HSET', k_battle, 'aScore', int_str(a), 'bScore', int_str(b))
if who then
  local winner = who == 1 and bt[3] or bt[2]
  battle_close(k_battle, k_stream_a, k_stream_b, k_due, battle_id, 'ended', 'forfeit', at, winner)
  return { 'OK', 1, 'ended' }
end
local winner = ''
if a > b then winner = bt[2] elseif b > a then winner = bt[3] end
battle_close(k_battle, k_stream_a, k_stream_b, k_due, battle_id, 'ended', 'time', ends_at, winner)
return { 'OK', 1, 'ended' }
