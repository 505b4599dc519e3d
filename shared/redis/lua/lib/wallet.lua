-- lib/wallet.lua: a user's history. Its order comes from the wallet's own counter (txSeq), not a global one, so
-- recording an entry stays inside the user's slot.
-- @include lib/ints.lua

-- Appends `member` to the history `k_txs` of the wallet `k_wallet`; returns the entry's sequence number.
local function history_add(k_wallet, k_txs, member)
  local seq = redis.call('HINCRBY', k_wallet, 'txSeq', 1)
  redis.call('ZADD', k_txs, seq, member)
  return seq
end

-- Wallets of a call that moves many gifts (a settlement batch): each wallet's fields are read once, on first use,
-- kept as integers in the call's table, and written back once by wallets_write; a wallet marked dirty is written.
local function wallets_new()
  return { order = {}, by_key = {} }
end

local function wallet_of(ws, k, fields)
  local w = ws.by_key[k]
  if not w then
    local values = redis.call('HMGET', k, unpack(fields))
    w = { fields = fields, dirty = false }
    for i, f in ipairs(fields) do w[f] = int_of(values[i]) end
    ws.by_key[k] = w
    table.insert(ws.order, k)
  end
  return w
end

local function wallets_write(ws)
  for _, k in ipairs(ws.order) do
    local w = ws.by_key[k]
    if w.dirty then
      local args = {}
      for _, f in ipairs(w.fields) do
        table.insert(args, f)
        table.insert(args, int_str(w[f]))
      end
      redis.call('HSET', k, unpack(args))
    end
  end
end

-- history_add for a script that writes the wallet's fields in one HSET of its own (the wallet phase of a gift): `tx_seq`
-- is the wallet's txSeq as it read it (HMGET, false when absent); returns the entry's sequence number, which the
-- caller stores back as txSeq.
local function history_add_next(k_txs, tx_seq, member)
  local seq = int_of(tx_seq) + 1
  redis.call('ZADD', k_txs, int_str(seq), member)
  return seq
end
