-- lib/wallet.lua: a user's history. Its order comes from the wallet's own counter (txSeq), not a global one, so
-- recording an entry stays inside the user's slot.

-- Appends `member` to the history `k_txs` of the wallet `k_wallet`; returns the entry's sequence number.
local function history_add(k_wallet, k_txs, member)
  local seq = redis.call('HINCRBY', k_wallet, 'txSeq', 1)
  redis.call('ZADD', k_txs, seq, member)
  return seq
end

-- The same for a script that writes its wallet fields in one HSET: `tx_seq` is the wallet's txSeq as it read it
-- (HMGET, false when absent); returns the entry's sequence number, which the caller stores back as txSeq.
local function history_add_next(k_txs, tx_seq, member)
  local seq = (tx_seq and tonumber(tx_seq) or 0) + 1
  redis.call('ZADD', k_txs, string.format('%d', seq), member)
  return seq
end
