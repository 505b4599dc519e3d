-- lib/gift-boards.lua: the boards step of one gift, called by gift-boards-12.lua (one gift) and
-- gift-boards-batch-n.lua (the gifts of one creator that arrived together). K and A are gift-boards-12.lua's KEYS and
-- ARGV (see its header); the answer is its reply.
-- @include lib/leaderboard.lua

local function boards_gift(K, A)
  local k_marker, k_seq = K[1], K[2]
  local k_hour, k_hour_m, k_day, k_day_m, k_week, k_week_m = K[3], K[4], K[5], K[6], K[7], K[8]
  local k_month, k_month_m, k_all, k_all_m = K[9], K[10], K[11], K[12]
  local sender, total, marker_ttl = A[1], tonumber(A[2]), A[3]
  local hour_exp, day_exp, week_exp, month_exp = A[4], A[5], A[6], A[7]

  if not redis.call('SET', k_marker, '1', 'NX', 'PX', marker_ttl) then return { 'REPLAY' } end
  local seq = redis.call('INCR', k_seq)
  for _, b in ipairs({
    { k_hour, k_hour_m, hour_exp },
    { k_day, k_day_m, day_exp },
    { k_week, k_week_m, week_exp },
    { k_month, k_month_m, month_exp },
    { k_all, k_all_m, '' },
  }) do
    local _, is_new = lb_add(b[1], b[2], sender, total, seq)
    if is_new then lb_expire(b[1], b[2], b[3]) end
  end
  return { 'OK' }
end
