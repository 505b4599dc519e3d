-- push-gate: decides whether a server process may push a throttled room update (leaderboard, viewers), so that
-- several processes together push only on change and at most once per interval, by this Redis's clock.
-- KEYS[1] pushgate:<kind> of the stream
-- ARGV[1] signature of the value to push   ARGV[2] minimum gap between pushes (ms)   ARGV[3] expiry of the gate (ms)
-- Returns {'OK', 'PUSH'} (push it; recorded) | {'OK', 'SAME'} (already pushed: drop it)
--       | {'OK', 'WAIT', ms} (pushed too recently: retry in ms)
-- Safe to run twice: a second run with the same signature answers SAME.
-- @include lib/clock.lua
local k_gate = KEYS[1]
local signature, gap, ttl = ARGV[1], tonumber(ARGV[2]), ARGV[3]

local sig = redis.call('HGET', k_gate, 'sig')
if sig == signature then return { 'OK', 'SAME' } end
local at = tonumber(redis.call('HGET', k_gate, 'at') or '0')
local now = clock_ms()
if now - at < gap then return { 'OK', 'WAIT', gap - (now - at) } end
redis.call('HSET', k_gate, 'sig', signature, 'at', now)
redis.call('PEXPIRE', k_gate, ttl)
return { 'OK', 'PUSH' }
