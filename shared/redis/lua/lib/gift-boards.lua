-- lib/gift-boards.lua: the boards step of gifts, called by gift-boards-12.lua (one gift) and gift-boards-batch-n.lua
-- (the gifts of one creator that arrived together). `gifts` is a list of { K, A }, each gift-boards-12.lua's KEYS and
-- ARGV (see its header); the answer is one gift-boards-12.lua reply per gift, in order.
--
-- Each gift is counted once, by its own marker, in order: the creator's seq gives it the next order number as an
-- INCR per gift would (one INCRBY per call), and its rows go to lb_adds (lib/leaderboard.lua), which writes each
-- (board, sender) once per call and leaves every board exactly as gift by gift.
-- @include lib/leaderboard.lua

local function boards_gifts(gifts)
  local replies, counted, seqs, seq_order = {}, {}, {}, {}
  for i, g in ipairs(gifts) do
    local K, A = g[1], g[2]
    if redis.call('SET', K[1], '1', 'NX', 'PX', A[3]) then
      local k_seq = K[2]
      if not seqs[k_seq] then
        seqs[k_seq] = { n = 0 }
        seq_order[#seq_order + 1] = k_seq
      end
      local s = seqs[k_seq]
      s.n = s.n + 1
      counted[#counted + 1] = { K, A, s, s.n }
      replies[i] = { 'OK' }
    else
      replies[i] = { 'REPLAY' } -- already counted, or taken back before
    end
  end
  for _, k_seq in ipairs(seq_order) do
    local s = seqs[k_seq]
    s.last = redis.call('INCRBY', k_seq, s.n)
  end
  local adds = lb_adds_new()
  for _, c in ipairs(counted) do
    local K, A, s, nth = c[1], c[2], c[3], c[4]
    local seq = s.last - s.n + nth
    local sender, total = A[1], tonumber(A[2])
    lb_adds_put(adds, K[3], K[4], sender, total, seq, A[4]) -- hour
    lb_adds_put(adds, K[5], K[6], sender, total, seq, A[5]) -- day
    lb_adds_put(adds, K[7], K[8], sender, total, seq, A[6]) -- week
    lb_adds_put(adds, K[9], K[10], sender, total, seq, A[7]) -- month
    lb_adds_put(adds, K[11], K[12], sender, total, seq, '') -- all time: never expires
  end
  lb_adds_write(adds)
  return replies
end
