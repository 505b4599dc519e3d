-- wallet-limit: a user lowers their own daily spend limit (never raises it, never removes it).
-- KEYS[1] wallet:<uid>
-- ARGV[1] the new limit in coins, or '' for "no limit"
-- Returns {'OK'} | {'FORBIDDEN', reason}. Setting the current value again is OK. Safe to run twice.
local current = redis.call('HGET', KEYS[1], 'limit')
if ARGV[1] == '' then
  if current then return { 'FORBIDDEN', 'A daily spend limit can only be removed by an operator.' } end
  return { 'OK' }
end
if current and tonumber(ARGV[1]) > tonumber(current) then
  return { 'FORBIDDEN', 'A daily spend limit can only be raised by an operator.' }
end
redis.call('HSET', KEYS[1], 'limit', ARGV[1])
return { 'OK' }
