-- chargeback-fence: before a chargeback voids a held gift, in the creator's slot: settlement must not credit that
-- gift afterwards (gift-credit refuses a fenced gift). A gift already credited is being settled: it is not voided
-- (the chargeback settles it and may claw back its diamonds instead).
-- KEYS[1] credit:<giftEventId>
-- ARGV[1] the chargeback's recharge id   ARGV[2] 'fence' | 'lift' (the void found nothing left to recover: a
--   concurrent call of the same chargeback got there first, so settlement may credit the gift after all)
-- Returns {'OK'} (fenced, or lifted, now or before) | {'CREDITED'} (credited: do not void). Safe to run twice.
local k_credit = KEYS[1]
if redis.call('HEXISTS', k_credit, 'diamonds') == 1 then return { 'CREDITED' } end
if ARGV[2] == 'lift' then
  if redis.call('HGET', k_credit, 'fenced') == ARGV[1] then redis.call('DEL', k_credit) end
  return { 'OK' }
end
redis.call('HSET', k_credit, 'fenced', ARGV[1])
return { 'OK' }
