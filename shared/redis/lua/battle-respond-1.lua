-- battle-respond: the opponent declines, or the challenger cancels, a pending battle, in the battle's slot. The
-- caller then releases both streams and drops the battle from battles:due.
-- KEYS[1] battle:<id>
-- ARGV[1] battle id   ARGV[2] caller (user id)   ARGV[3] 'decline' | 'cancel'   ARGV[4] now (ms), '' for this
-- Redis's clock
-- Returns {'OK'} | {'NOT_FOUND'} | {'FORBIDDEN', msg} | {'CONFLICT', msg}
-- A second run finds the battle closed and answers CONFLICT: it changes nothing.
-- @include lib/clock.lua
-- @include lib/battle.lua
local k_battle = KEYS[1]
local battle_id, caller, action, now_arg = ARGV[1], ARGV[2], ARGV[3], ARGV[4]

local bt = redis.call('HMGET', k_battle, 'status', 'aCreator', 'bCreator')
if not bt[1] then return { 'NOT_FOUND', 'No such battle.' } end
local decline = action == 'decline'
if decline and bt[3] ~= caller then return { 'FORBIDDEN', 'Only the opponent\'s creator may decline.' } end
if not decline and bt[2] ~= caller then return { 'FORBIDDEN', 'Only the challenger may cancel.' } end
if bt[1] ~= 'pending' then return { 'CONFLICT', 'The battle is ' .. bt[1] .. '.' } end
local status = decline and 'declined' or 'cancelled'
battle_close(k_battle, status, status, battle_now(now_arg), nil)
return { 'OK' }
