-- chargeback-fence: before a chargeback voids a held gift, in the creator's slot: settlement must not credit that
-- gift afterwards (gift-credit refuses a fenced gift). A gift already credited is being settled: it is not voided
-- (the chargeback settles it and may claw back its diamonds instead).
-- KEYS[1] credit:<giftEventId>
-- ARGV[1] the chargeback's recharge id
-- Returns {'OK'} (fenced now or before) | {'CREDITED'} (credited: do not void). Safe to run twice.
local k_credit = KEYS[1]
if redis.call('HEXISTS', k_credit, 'diamonds') == 1 then return { 'CREDITED' } end
redis.call('HSET', k_credit, 'fenced', ARGV[1])
return { 'OK' }
