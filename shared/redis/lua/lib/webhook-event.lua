-- lib/webhook-event.lua: files an event for the webhooks relay in the outbox of the slot it happened in, in the
-- same script as the change it reports, so an event exists if and only if its change does (docs/ARCHITECTURE.md,
-- "Webhooks"). The event names its record (`ref`); the relay builds the delivered `data` from that record, whose
-- fields the event's change has made final. The caller mints the id: a rerun of the script is a replay that files
-- nothing, so each change is filed once.

-- outbox: the slot's webhooks outbox (ZSET, member = the event's JSON, score = createdAt in ms); event_id '' files
-- nothing (a caller that reports nothing). `snap` (optional, a table) keeps what the record will not: its values at
-- the moment of the event (a goal's progress when it was reached).
local function webhook_event(outbox, event_id, event_type, ref, now, snap)
  if event_id == nil or event_id == '' then return end
  redis.call('ZADD', outbox, now,
    cjson.encode({ id = event_id, type = event_type, createdAt = now, ref = ref, snap = snap }))
end
