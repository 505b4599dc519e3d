import { z } from 'zod';
import { uuid } from './common';
import { MAX_GIFT_COUNT } from './limits';

/** Catalog ids are slugs. */
export const giftSlug = z
  .string()
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'expected a gift id like "rose"')
  .max(64);

/**
 * An event payload's own size cap (JSON bytes), below the transport's SOCKET_MAX_PAYLOAD_BYTES (which closes the
 * connection): a gift needs about 150 bytes, so anything much larger is refused as VALIDATION_FAILED.
 */
export const EVENT_MAX_BYTES = 1024;

// one encoder for every check: every gift:send is measured
const utf8 = new TextEncoder();

export function capped<S extends z.ZodType>(schema: S, maxBytes = EVENT_MAX_BYTES) {
  return z
    .unknown()
    .refine((v) => jsonFits(v, maxBytes), `larger than ${maxBytes} bytes`)
    .pipe(schema);
}

/** Whether `v` as JSON takes at most `maxBytes` bytes of UTF-8. */
function jsonFits(v: unknown, maxBytes: number): boolean {
  const json = JSON.stringify(v ?? null) ?? '';
  // a UTF-16 code unit is at most 3 bytes of UTF-8 and at least 1: most payloads are decided without encoding them
  if (json.length * 3 <= maxBytes) return true;
  return json.length <= maxBytes && utf8.encode(json).length <= maxBytes;
}

/** `gift:send`: unknown fields are stripped (ignored, never used). */
export const giftSendFields = z.object({
  streamId: uuid,
  giftId: giftSlug,
  count: z.number().int().min(1).max(MAX_GIFT_COUNT).default(1),
  idempotencyKey: uuid,
});
export const giftSendPayload = capped(giftSendFields);
export type GiftSendPayload = z.infer<typeof giftSendFields>;

/** `stream:join` / `stream:leave`. */
export const streamRoomPayload = capped(z.object({ streamId: uuid }));
