import { z } from 'zod';
import { listQuery } from './common';
import type { Stream } from './models';

/** `GET /v1/streams?status=live&limit=&cursor=`: only live streams are listed (ended ones are not indexed). */
export const liveStreamsQuery = listQuery.extend({
  status: z.literal('live', { error: 'only status=live can be listed' }).default('live'),
});

export interface LiveStreamItem {
  stream: Stream;
  creator: { id: string; displayName: string };
  totalCoins: number;
}

/** `GET /v1/overlay/stream` with header `X-Overlay-Key`: the overlay's creator and their live stream, if any. */
export interface OverlayStreamResponse {
  creatorId: string;
  stream: Stream | null;
}
