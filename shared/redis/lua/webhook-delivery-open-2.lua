-- webhook-delivery-open: opens the delivery of one event to one webhook in its delivery log, in the webhook's slot,
-- with the exact body every attempt sends (the same id and body on every retry and redelivery).
-- KEYS[1] webhook deliveries (ZSET event id by createdAt)   KEYS[2] delivery:<eventId> (HASH)
-- ARGV[1] event id   ARGV[2] event type   ARGV[3] event createdAt (ms)   ARGV[4] body (JSON text)
-- ARGV[5] how long the delivery is kept (ms)   ARGV[6] entries the log keeps (the oldest are dropped past it)
-- Returns {'OK'} (opened) | {'REPLAY', status} (opened before: nothing changes, so the relay may run twice)
local k_log, k_delivery = KEYS[1], KEYS[2]
local event_id, event_type, created_at, body, ttl, keep = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5], ARGV[6]

local status = redis.call('HGET', k_delivery, 'status')
if status then return { 'REPLAY', status } end
redis.call('HSET', k_delivery, 'eventId', event_id, 'type', event_type, 'createdAt', created_at, 'body', body,
  'status', 'pending', 'attempts', 0, 'lastStatusCode', '', 'lastAttemptAt', '')
redis.call('PEXPIRE', k_delivery, ttl)
redis.call('ZADD', k_log, created_at, event_id)
redis.call('ZREMRANGEBYRANK', k_log, 0, -(tonumber(keep) + 1))
return { 'OK' }
