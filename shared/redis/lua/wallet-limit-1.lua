-- wallet-limit: a user lowers their own daily spend limit (never raises it, never removes it).
-- KEYS[1] wallet:<uid>
-- ARGV[1] the new limit in coins, or '' for "no limit"
-- Returns {'OK'} | {'FORBIDDEN', reason}. Setting the current value again is OK. Safe to run twice.
local k_wallet = KEYS[1]
local limit = ARGV[1]
local current = redis.call('HGET', k_wallet, 'limit')
if limit == '' then
  if current then return { 'FORBIDDEN', 'A daily spend limit can only be removed by an operator.' } end
  return { 'OK' }
end
if current and tonumber(limit) > tonumber(current) then
  return { 'FORBIDDEN', 'A daily spend limit can only be raised by an operator.' }
end
redis.call('HSET', k_wallet, 'limit', limit)
return { 'OK' }
