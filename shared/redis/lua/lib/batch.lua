-- lib/batch.lua: micro-batching of a per-gift script (shared/redis/script-batches.ts, packBatch). A batch script
-- carries the single script's KEYS and ARGV of every gift, packed: a position (a key or an argument) that holds the
-- same value for every gift of the call is sent once, the others once per gift. A gift war's gifts share most of
-- theirs (the stream's keys, the creator's boards, the settings), so a call carries about a quarter of the values
-- it would unpacked. All the keys of a call are in one slot (one room, one creator) on a Redis Cluster, any keys on a
-- single Redis.
--
-- ARGV[1] keys per gift (pk)   ARGV[2] arguments per gift (pa)   ARGV[3] gifts (n)
-- ARGV[4] varying key positions (vk)   ARGV[5] varying argument positions (va)
-- then the vk varying key positions and the va varying argument positions (1-based, ascending), then the pa - va
-- shared arguments in position order, then for each gift its va varying arguments in position order.
-- KEYS: the pk - vk shared keys in position order, then for each gift its vk varying keys in position order.

-- The `count` varying positions in ARGV after index `last`: ascending, each from 1 to `limit`; nil when they are not.
local function batch_positions(last, count, limit)
  local at = {}
  for j = 1, count do
    local p = tonumber(ARGV[last + j])
    if not p or p < 1 or p > limit or (j > 1 and p <= at[j - 1]) then return nil end
    at[j] = p
  end
  return at
end

-- Puts the shared values of positions 1..count (those not in `varying`) into `into`, read from `from` after index
-- `last`, in position order; returns the index of the last value read.
local function batch_shared(into, count, varying, from, last)
  local varies = {}
  for _, p in ipairs(varying) do varies[p] = true end
  for p = 1, count do
    if not varies[p] then
      last = last + 1
      into[p] = from[last]
    end
  end
  return last
end

-- The gifts of this batch call, in order, each as { K, A } (one gift's KEYS and ARGV, as the single script has
-- them); nil and an error reply when KEYS and ARGV do not hold whole gifts.
local function batch_items()
  local pk, pa, n = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
  local vk, va = tonumber(ARGV[4]), tonumber(ARGV[5])
  local whole = pk and pa and n and vk and va and n >= 1 and vk <= pk and va <= pa and #KEYS == pk - vk + n * vk
    and #ARGV == 5 + vk + pa + n * va
  local key_at = whole and batch_positions(5, vk, pk)
  local arg_at = key_at and batch_positions(5 + vk, va, pa)
  if not arg_at then return nil, redis.error_reply('batch: KEYS and ARGV do not hold whole gifts') end
  -- each gift's tables start as a copy of the shared values (the varying positions empty) and get their own on top
  local keys, args = {}, {}
  local from = batch_shared(keys, pk, key_at, KEYS, 0)
  local a_from = batch_shared(args, pa, arg_at, ARGV, 5 + vk + va)
  local items = {}
  for i = 1, n do
    local K, A = { unpack(keys, 1, pk) }, { unpack(args, 1, pa) }
    for j = 1, vk do K[key_at[j]] = KEYS[from + j] end
    for j = 1, va do A[arg_at[j]] = ARGV[a_from + j] end
    from, a_from = from + vk, a_from + va
    items[i] = { K, A }
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
