-- battle-respond: the opponent declines, or the challenger cancels, a pending battle.
-- KEYS[1] battle:<id>   KEYS[2] stream:<A>   KEYS[3] stream:<B>   KEYS[4] battles:due
-- ARGV[1] battle id   ARGV[2] caller (user id)   ARGV[3] 'decline' | 'cancel'   ARGV[4] now (ms)
-- Returns {'OK'} | {'NOT_FOUND'} | {'FORBIDDEN', msg} | {'CONFLICT', msg}
-- A second run finds the battle closed and answers CONFLICT: it changes nothing.
-- @include lib/battle.lua
local bt = redis.call('HMGET', KEYS[1], 'status', 'aCreator', 'bCreator')
if not bt[1] then return { 'NOT_FOUND', 'No such battle.' } end
local decline = ARGV[3] == 'decline'
if decline and bt[3] ~= ARGV[2] then return { 'FORBIDDEN', 'Only the opponent\'s creator may decline.' } end
if not decline and bt[2] ~= ARGV[2] then return { 'FORBIDDEN', 'Only the challenger may cancel.' } end
if bt[1] ~= 'pending' then return { 'CONFLICT', 'The battle is ' .. bt[1] .. '.' } end
local status = decline and 'declined' or 'cancelled'
battle_close(KEYS[1], KEYS[2], KEYS[3], KEYS[4], ARGV[1], status, status, ARGV[4], nil)
return { 'OK' }
