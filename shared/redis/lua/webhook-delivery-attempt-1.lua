-- webhook-delivery-attempt: records one attempt of a delivery, in the webhook's slot.
-- KEYS[1] delivery:<eventId> (HASH)
-- ARGV[1] the receiver's HTTP status ('' when none answered: refused address, timeout, connection error)
-- ARGV[2] outcome: 'delivered' (2xx) | 'retry' (another attempt follows) | 'failed' (that was the last one)
-- Returns {'OK', status} | {'NOT_FOUND'} (the delivery expired or its webhook was deleted)
-- A delivered delivery stays delivered: a late failure of a duplicate job (at-least-once) does not undo it.
-- @include lib/clock.lua
local k_delivery = KEYS[1]
local status_code, outcome = ARGV[1], ARGV[2]

local current = redis.call('HGET', k_delivery, 'status')
if not current then return { 'NOT_FOUND' } end
local status = 'pending'
if outcome == 'delivered' or current == 'delivered' then status = 'delivered'
elseif outcome == 'failed' then status = 'failed' end
redis.call('HINCRBY', k_delivery, 'attempts', 1)
redis.call('HSET', k_delivery, 'status', status, 'lastStatusCode', status_code,
  'lastAttemptAt', tostring(clock_ms()))
return { 'OK', status }
