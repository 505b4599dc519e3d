-- lb-page: one page of a leaderboard (lib/leaderboard.lua's members, all scored 0, ordered by text), read in one
-- step so that the ranks and the rows agree.
-- KEYS[1] the board   KEYS[2] its :m (id -> member)
-- ARGV[1] 'top' | 'after' | 'around'   ARGV[2] '' (top) | the member to start after (after) | the id (around)
-- ARGV[3] limit
-- Returns {'OK', rank of the first row (1-based), more (1 when rows follow the last), member...};
-- {'OK', 0, 0} when `around` names an id with no row.
local k_board, k_members = KEYS[1], KEYS[2]
local mode, arg, limit = ARGV[1], ARGV[2], tonumber(ARGV[3])

local start
if mode == 'top' then
  start = 0
elseif mode == 'after' then
  -- the first member after the cursor's, wherever the rows around it moved
  local first = redis.call('ZRANGE', k_board, '(' .. arg, '+', 'BYLEX', 'LIMIT', 0, 1)
  if #first == 0 then return { 'OK', 0, 0 } end
  start = redis.call('ZRANK', k_board, first[1])
else
  local member = redis.call('HGET', k_members, arg)
  if not member then return { 'OK', 0, 0 } end
  local rank = redis.call('ZRANK', k_board, member)
  local card = redis.call('ZCARD', k_board)
  -- centred on the row (the extra row below when limit is even), pulled back when the board ends first
  start = rank - math.floor((limit - 1) / 2)
  if start + limit > card then start = card - limit end
  if start < 0 then start = 0 end
end
local rows = redis.call('ZRANGE', k_board, start, start + limit)
local more = 0
if #rows > limit then
  more = 1
  rows[#rows] = nil
end
local out = { 'OK', start + 1, more }
for i = 1, #rows do out[#out + 1] = rows[i] end
return out
