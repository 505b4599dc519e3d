-- idem-unlock: releases an in-flight idempotency lock, only when it is still held by the caller.
-- KEYS[1] idemlock:<uid>:<key>
-- ARGV[1] lock owner
-- Returns {'OK'} (released, or no longer ours: nothing to do). Safe to run twice.
if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end
return { 'OK' }
