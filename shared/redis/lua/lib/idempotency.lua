-- lib/idempotency.lua: per-user idempotency records (see docs/ARCHITECTURE.md).
-- A record is a string JSON { fp = fingerprint of the request, res = the first successful answer }.
-- `res` must itself be a string (the JSON payload the script returns): Lua tables with string keys do not
-- survive being returned to Redis.
-- Only a success binds a key: scripts call idem_check before validating and idem_store after their writes.

-- Returns nil when the key is free, {'REPLAY', res} for a repeat of the same request,
-- {'IDEMPOTENCY_CONFLICT'} for the same key with another request.
local function idem_check(key, fingerprint)
  local stored = redis.call('GET', key)
  if not stored then return nil end
  local rec = cjson.decode(stored)
  if rec.fp == fingerprint then return { 'REPLAY', rec.res } end
  return { 'IDEMPOTENCY_CONFLICT' }
end

local function idem_store(key, fingerprint, res, ttl_ms)
  redis.call('SET', key, cjson.encode({ fp = fingerprint, res = res }), 'PX', ttl_ms)
end
