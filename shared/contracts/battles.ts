import { z } from 'zod';
import { uuid } from './common';

/** Contract bounds of a battle's duration (docs/API.md "Battles"). */
export const BATTLE_MIN_SEC = 30;
export const BATTLE_MAX_SEC = 600;

export const createBattleBody = z
  .object({
    streamId: uuid,
    opponentStreamId: uuid,
    durationSec: z.number().int().min(BATTLE_MIN_SEC).max(BATTLE_MAX_SEC),
  })
  .strict()
  .refine((b) => b.streamId !== b.opponentStreamId, {
    path: ['opponentStreamId'],
    message: 'a stream cannot battle itself',
  });
export type CreateBattleBody = z.infer<typeof createBattleBody>;
