-- stream-start: a creator goes live, one live stream at a time.
-- KEYS[1] stream:<id>   KEYS[2] creator:<uid>:live   KEYS[3] streams:live
-- ARGV[1] stream id   ARGV[2] creator id   ARGV[3] title   ARGV[4] now (ms)
-- Returns {'OK'} | {'REPLAY'} (this very stream already exists) | {'CONFLICT', 'already live'}
if redis.call('EXISTS', KEYS[1]) == 1 then return { 'REPLAY' } end
local current = redis.call('GET', KEYS[2])
if current then
  return { 'CONFLICT', 'You already have a live stream.' }
end
redis.call('HSET', KEYS[1], 'id', ARGV[1], 'creatorId', ARGV[2], 'title', ARGV[3], 'status', 'live',
  'startedAt', ARGV[4], 'totalCoins', 0, 'giftCount', 0, 'battleId', '')
redis.call('SET', KEYS[2], ARGV[1])
redis.call('ZADD', KEYS[3], tonumber(ARGV[4]), ARGV[1])
return { 'OK' }
