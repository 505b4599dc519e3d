-- lib/batch.lua: micro-batching of a per-gift script (shared/redis/script-batches.ts). A batch script carries the
-- single script's KEYS of every gift one after the other, and ARGV[1] keys per gift, ARGV[2] arguments per gift, then
-- the single script's ARGV of every gift one after the other; all its keys are in one slot (one room, one creator)
-- on a Redis Cluster, any keys on a single Redis.

-- The batch's shape: the number of gifts, and each gift's number of KEYS and of ARGV; nil and an error reply when
-- KEYS and ARGV do not hold whole gifts. Gift i's KEYS start after KEYS[(i - 1) * per_keys], its ARGV after
-- ARGV[2 + (i - 1) * per_args].
local function batch_shape()
  local per_keys, per_args = tonumber(ARGV[1]), tonumber(ARGV[2])
  local n = #KEYS / per_keys
  if n < 1 or n ~= math.floor(n) or #ARGV ~= 2 + n * per_args then
    return nil, redis.error_reply('batch: KEYS and ARGV do not hold whole gifts')
  end
  return n, per_keys, per_args
end

-- The gifts of this batch call, in order, each as { K, A } (one gift's KEYS and ARGV, as the single script has
-- them); nil and an error reply when KEYS and ARGV do not hold whole gifts.
local function batch_items()
  local n, per_keys, per_args = batch_shape()
  if not n then return nil, per_keys end
  -- unpack into a table constructor: each gift's tables made at their size in one step (a copy element by element
  -- cost more than Redis's own handling of the arguments)
  local items = {}
  for i = 0, n - 1 do
    local k, a = i * per_keys, 2 + i * per_args
    items[i + 1] = { { unpack(KEYS, k + 1, k + per_keys) }, { unpack(ARGV, a + 1, a + per_args) } }
  end
  return items
end

-- Runs `per_gift(K, A)` for each gift in order and answers one reply per gift. Each gift is idempotent by its own
-- marker, so a batch that fails half way (a Redis error: the writes of the gifts before it stay) is safe to run
-- again, gift by gift or as a batch.
local function batch_each(per_gift)
  local items, err = batch_items()
  if not items then return err end
  local replies = {}
  for i, item in ipairs(items) do replies[i] = per_gift(item[1], item[2]) end
  return replies
end
