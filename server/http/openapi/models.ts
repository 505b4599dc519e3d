import { z } from 'zod';
import { ERROR_CODES, type ErrorBody } from '../../../shared/contracts/errors';
import type { CoinPackage, Gift } from '../../../shared/contracts/catalog';
import type {
  Battle,
  GiftEvent,
  Goal,
  LeaderboardItem,
  Payout,
  Recharge,
  Stream,
  StreakEnded,
  Transaction,
  Wallet,
} from '../../../shared/contracts/models';
import { GOAL_STATUSES, PAYOUT_STATUSES } from '../../../shared/contracts/models';
import type { User } from '../../../shared/contracts/users';
import type { CreatorRankItem, LeaderboardPeriodInfo } from '../../../shared/contracts/leaderboards';
import type { GiftsFrame } from '../../../shared/contracts/socket';

/**
 * The response shapes of the contract as zod schemas, for the API description only: the server validates what it
 * receives, and its answers are typed by the interfaces in shared/contracts/models.ts. Each schema below is checked
 * against its interface at compile time (`same`), so the description cannot drift from what the server returns.
 */

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const same = <A, B>(ok: Same<A, B>) => ok;

/** Every named component of the OpenAPI and AsyncAPI documents (`#/components/schemas/<id>`). */
export const components = z.registry<{ id: string; description?: string }>();

const id = z.string().describe('a UUID');
const ms = z.number().int().describe('milliseconds since the epoch');

export const errorBody = z
  .object({
    code: z.enum(Object.keys(ERROR_CODES) as [keyof typeof ERROR_CODES, ...Array<keyof typeof ERROR_CODES>]),
    message: z.string(),
    details: z.unknown().optional(),
  })
  .register(components, { id: 'ErrorBody', description: 'What went wrong: a contract error code and human words.' });
same<z.infer<typeof errorBody>, ErrorBody>(true);

export const errorResponse = z
  .object({ error: errorBody })
  .register(components, { id: 'Error', description: 'Every 4xx/5xx answer.' });

export const user = z
  .object({
    id,
    displayName: z.string(),
    birthDate: z.string(),
    verified: z.boolean(),
    followers: z.number().int(),
    suspended: z.boolean(),
  })
  .register(components, { id: 'User' });
same<z.infer<typeof user>, User>(true);

export const stream = z
  .object({
    id,
    creatorId: id,
    title: z.string(),
    status: z.enum(['live', 'ended']),
    startedAt: ms,
    endedAt: ms.optional(),
  })
  .register(components, { id: 'Stream' });
same<z.infer<typeof stream>, Stream>(true);

export const leaderboardItem = z
  .object({ rank: z.number().int(), userId: id, displayName: z.string(), coins: z.number().int() })
  .register(components, { id: 'LeaderboardItem' });
same<z.infer<typeof leaderboardItem>, LeaderboardItem>(true);

// leaderboards (#17): the period an answer covers, and the creator rankings' rows
export const leaderboardPeriodInfo = z
  .object({
    name: z.enum(['hour', 'day', 'week', 'month', 'all']),
    start: ms.nullable().describe('first millisecond of the period; null for all'),
    end: ms.nullable().describe('first millisecond after the period (exclusive); null for all'),
  })
  .register(components, { id: 'LeaderboardPeriod' });
same<z.infer<typeof leaderboardPeriodInfo>, LeaderboardPeriodInfo>(true);
export const creatorRankItem = z
  .object({ rank: z.number().int(), creatorId: id, displayName: z.string(), coins: z.number().int() })
  .register(components, { id: 'CreatorRankItem' });
same<z.infer<typeof creatorRankItem>, CreatorRankItem>(true);

export const giftEvent = z
  .object({
    id,
    streamId: id,
    sender: z.object({ id, displayName: z.string() }),
    giftId: z.string(),
    giftName: z.string(),
    coins: z.number().int().describe('unit price'),
    count: z.number().int(),
    totalCoins: z.number().int(),
    combo: z.number().int().describe("units of this gift in the sender's current streak, this send included"),
    at: ms,
  })
  .register(components, { id: 'GiftEvent' });
same<z.infer<typeof giftEvent>, GiftEvent>(true);

const mvp = z
  .object({ userId: id, displayName: z.string(), coins: z.number().int() })
  .register(components, { id: 'Mvp' });
const battleSide = z
  .object({ streamId: id, creatorId: id, score: z.number().int(), mvp: mvp.nullable() })
  .register(components, { id: 'BattleSide' });

export const battle = z
  .object({
    id,
    status: z.enum(['pending', 'active', 'ended', 'expired', 'declined', 'cancelled']),
    sides: z.tuple([battleSide, battleSide]).describe('challenger, opponent'),
    durationSec: z.number().int(),
    createdAt: ms.optional(),
    expiresAt: ms.optional(),
    startedAt: ms.optional(),
    endsAt: ms.optional(),
    endedAt: ms.optional(),
    winnerStreamId: id.nullable().optional(),
    endReason: z.string().optional(),
  })
  .register(components, { id: 'Battle' });
same<z.infer<typeof battle>, Battle>(true);

export const wallet = z
  .object({
    coins: z.number().int(),
    heldCoins: z.number().int(),
    diamonds: z.number().int(),
    spentTodayCoins: z.number().int(),
    dailySpendLimitCoins: z.number().int().nullable(),
    withdrawableDiamonds: z.number().int().optional(),
  })
  .register(components, { id: 'Wallet' });
same<z.infer<typeof wallet>, Wallet>(true);

export const transaction = z
  .object({
    id: z.string(),
    type: z.enum(['recharge', 'gift_sent', 'gift_received', 'payout', 'chargeback']),
    coins: z.number().int().optional(),
    diamonds: z.number().int().optional(),
    status: z.enum(['pending', 'settled', 'paid', 'failed', 'review', 'rejected']),
    at: ms,
    ref: z.string().optional(),
  })
  .register(components, { id: 'Transaction' });
same<z.infer<typeof transaction>, Transaction>(true);

export const recharge = z
  .object({
    id,
    coins: z.number().int(),
    priceCents: z.number().int(),
    currency: z.string(),
    status: z.literal('succeeded'),
  })
  .register(components, { id: 'Recharge' });
same<z.infer<typeof recharge>, Recharge>(true);

export const payout = z
  .object({
    id,
    diamonds: z.number().int(),
    amountCents: z.number().int(),
    currency: z.string(),
    status: z.enum(PAYOUT_STATUSES),
    destination: z.string().optional(),
    createdAt: ms.optional(),
    paidAt: ms.optional(),
    failedAt: ms.optional(),
  })
  .register(components, { id: 'Payout' });
same<z.infer<typeof payout>, Payout>(true);

export const gift = z
  .object({
    id: z.string(),
    name: z.string(),
    coins: z.number().int(),
    streakable: z.boolean(),
    tier: z.enum(['small', 'medium', 'large', 'epic']),
  })
  .register(components, { id: 'Gift' });
same<z.infer<typeof gift>, Gift>(true);

export const coinPackage = z
  .object({ id: z.string(), coins: z.number().int(), priceCents: z.number().int(), currency: z.string() })
  .register(components, { id: 'CoinPackage' });
same<z.infer<typeof coinPackage>, CoinPackage>(true);

export const giftsFrame = z
  .object({
    streamId: id,
    items: z.array(giftEvent),
    rest: z.object({ gifts: z.number().int(), coins: z.number().int() }).optional(),
  })
  .register(components, { id: 'GiftsFrame' });
same<z.infer<typeof giftsFrame>, GiftsFrame>(true);

/** `{ items, nextCursor }` of a list route. */
export const page = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), nextCursor: z.string().nullable() });

// ---- live experience (#17): streak ends and goals ---------------------------------------------------------------

export const goal = z
  .object({
    id,
    streamId: id,
    title: z.string(),
    targetCoins: z.number().int(),
    giftId: z.string().nullable().describe('null: every gift counts'),
    progressCoins: z.number().int(),
    status: z.enum(GOAL_STATUSES),
    createdAt: ms,
    reachedAt: ms.nullable(),
  })
  .register(components, { id: 'Goal' });
same<z.infer<typeof goal>, Goal>(true);

export const streakEnded = z
  .object({
    streamId: id,
    sender: z.object({ id, displayName: z.string() }),
    giftId: z.string(),
    giftName: z.string(),
    combo: z.number().int().describe("the streak's last combo"),
    totalCoins: z.number().int().describe("the sum of its gifts' totalCoins"),
    firstAt: ms,
    lastAt: ms,
  })
  .register(components, { id: 'StreakEnded' });
same<z.infer<typeof streakEnded>, StreakEnded>(true);
