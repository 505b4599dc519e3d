-- idem-unlock: releases an in-flight idempotency lock, only when it is still held by the caller.
-- KEYS[1] idemlock:<uid>:<key>
-- ARGV[1] lock owner
-- Returns {'OK'} (released, or no longer ours: nothing to do). Safe to run twice.
local k_lock = KEYS[1]
local owner = ARGV[1]
if redis.call('GET', k_lock) == owner then redis.call('DEL', k_lock) end
return { 'OK' }
