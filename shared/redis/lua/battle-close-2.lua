-- battle-close: brings a battle up to date at `now`, in the battle's slot; the one script behind every
-- system-driven end (the timer worker, the sweeper, the forfeit after a stream ends, lazy reads). Safe to run any
-- number of times: a battle that has nothing due is left alone, a closed battle is never touched again.
--   pending: a stream of it has ended          -> cancelled, endReason 'stream_ended', endedAt = that stream's end
--            now >= expiresAt                  -> expired,   endReason 'expired',      endedAt = expiresAt
--   active:  a stream ended before endsAt      -> ended, endReason 'forfeit', the other side wins,
--                                                 endedAt = that stream's end (the earlier one if both ended)
--            now >= endsAt                     -> ended, endReason 'time', the higher score wins ('' on a tie),
--                                                 endedAt = endsAt (scores froze then, whenever this runs)
-- The streams and the sides' scores live in the streams' slots: the caller reads them first and passes them in
-- (a stream that ended stays ended; a side's score stops growing at endsAt, when the room phase stops counting).
-- KEYS[1] battle:<id>   KEYS[2] webhooks:outbox (the battle's: `battle.ended` is filed there when it ends)
-- ARGV[1] battle id   ARGV[2] now (ms), '' for this Redis's clock   ARGV[3] stream A's endedAt ('' while live)
-- ARGV[4] stream B's endedAt ('' while live)   ARGV[5] side A's score   ARGV[6] side B's score
-- ARGV[7] webhook event id (filed only when this call ends an active battle: an expired or cancelled invitation
-- never became a battle that ended)
-- Returns {'OK', changed (1|0), status} | {'NOT_FOUND'}
-- @include lib/clock.lua
-- @include lib/battle.lua
-- @include lib/ints.lua
-- @include lib/webhook-event.lua
local k_battle, k_webhooks = KEYS[1], KEYS[2]
local battle_id, now_arg, a_ended, b_ended = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
local a_score, b_score = int_of(ARGV[5]), int_of(ARGV[6])
local event_id = ARGV[7]

local bt = redis.call('HMGET', k_battle, 'status', 'aStream', 'bStream', 'expiresAt', 'endsAt')
if not bt[1] then return { 'NOT_FOUND', 'No such battle.' } end
local status = bt[1]
if status ~= 'pending' and status ~= 'active' then return { 'OK', 0, status } end
local now = battle_now(now_arg)

-- The stream of this battle that ended first (before `before`, when given), and when.
local function first_ended(before)
  local who, at = nil, nil
  for i, ended in ipairs({ a_ended, b_ended }) do
    if ended ~= '' then
      local t = tonumber(ended)
      if (before == nil or t < before) and (at == nil or t < at) then who, at = i, t end
    end
  end
  return who, at
end

if status == 'pending' then
  local who, at = first_ended(nil)
  if who then
    battle_close(k_battle, 'cancelled', 'stream_ended', at, nil)
    return { 'OK', 1, 'cancelled' }
  end
  local expires_at = tonumber(bt[4])
  if now < expires_at then return { 'OK', 0, status } end
  battle_close(k_battle, 'expired', 'expired', expires_at, nil)
  return { 'OK', 1, 'expired' }
end

local ends_at = tonumber(bt[5])
local who, at = first_ended(ends_at)
if not who and now < ends_at then return { 'OK', 0, status } end
redis.call('HSET', k_battle, 'aScore', int_str(a_score), 'bScore', int_str(b_score))
if who then
  local winner = who == 1 and bt[3] or bt[2]
  battle_close(k_battle, 'ended', 'forfeit', at, winner)
  webhook_event(k_webhooks, event_id, 'battle.ended', battle_id, clock_ms())
  return { 'OK', 1, 'ended' }
end
local winner = ''
if a_score > b_score then winner = bt[2] elseif b_score > a_score then winner = bt[3] end
battle_close(k_battle, 'ended', 'time', ends_at, winner)
webhook_event(k_webhooks, event_id, 'battle.ended', battle_id, clock_ms())
return { 'OK', 1, 'ended' }
