-- push-gate: decides whether a server process may push a throttled room update (leaderboard, viewers), so that
-- several processes together push only on change and at most once per interval.
-- KEYS[1] pushgate:<kind>:<streamId>
-- ARGV[1] signature of the value to push   ARGV[2] now (ms)   ARGV[3] minimum gap between pushes (ms)
-- ARGV[4] expiry of the gate (ms)
-- Returns {'OK', 'PUSH'} (push it; recorded) | {'OK', 'SAME'} (already pushed: drop it)
--       | {'OK', 'WAIT', ms} (pushed too recently: retry in ms)
-- Safe to run twice: a second run with the same signature answers SAME.
local sig = redis.call('HGET', KEYS[1], 'sig')
if sig == ARGV[1] then return { 'OK', 'SAME' } end
local at = tonumber(redis.call('HGET', KEYS[1], 'at') or '0')
local now = tonumber(ARGV[2])
local gap = tonumber(ARGV[3])
if now - at < gap then return { 'OK', 'WAIT', gap - (now - at) } end
redis.call('HSET', KEYS[1], 'sig', ARGV[1], 'at', ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[4])
return { 'OK', 'PUSH' }
