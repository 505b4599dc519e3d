-- creator-live-claim: a creator's "one live stream at a time" pointer, in the creator's slot. Going live claims it
-- before the stream is created; ending a stream releases it (only when it still names that stream).
-- KEYS[1] the creator's live pointer
-- ARGV[1] 'claim' | 'release'   ARGV[2] stream id   ARGV[3] (claim) the stale stream id the caller found ended or
-- missing and may replace, '' for none
-- Returns {'OK'} (claimed or released, or already ours) | {'CONFLICT', currentStreamId} (claim: another stream has it)
-- Safe to run twice.
local k_live = KEYS[1]
local action, stream_id, stale_id = ARGV[1], ARGV[2], ARGV[3]

local current = redis.call('GET', k_live)
if action == 'release' then
  if current == stream_id then redis.call('DEL', k_live) end
  return { 'OK' }
end
if current and current ~= stream_id and current ~= stale_id then return { 'CONFLICT', current } end
redis.call('SET', k_live, stream_id)
return { 'OK' }
