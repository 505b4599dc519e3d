import { z } from 'zod';
import { uuid } from '../../../shared/contracts/common';
import { createBattleBody } from '../../../shared/contracts/battles';
import {
  creatorLeaderboardQuery,
  creatorRankingsQuery,
  streamLeaderboardQuery,
} from '../../../shared/contracts/leaderboards';
import { createStreamBody } from '../../../shared/contracts/streams';
import { liveStreamsQuery } from '../../../shared/contracts/live-streams';
import {
  battle,
  coinPackage,
  creatorRankItem,
  gift,
  leaderboardItem,
  leaderboardPeriodInfo,
  page,
  stream,
} from './models';
import type { RouteDoc } from './route-doc';

const id = { id: uuid };
const liveStreamItem = z.object({
  stream,
  creator: z.object({ id: z.string(), displayName: z.string() }),
  totalCoins: z.number().int(),
});
const battleAnswer = z.object({ battle });

// leaderboards (#17)
const PAGING =
  '`nextCursor` (null on the last page) continues after the last row, wherever rows move meanwhile; `around=<userId>` returns up to `limit` rows centred on that user (an empty list when they have no coins there). `cursor` and `around` do not combine.';
const PERIODS =
  '`at` (ms, default now) picks the period that contains it: UTC hours, days, weeks from Monday, months, or all time. Past periods stay readable for 48 hours, 35 days, 10 weeks, 13 months after they end; a period not started yet or past its retention is VALIDATION_FAILED.';

/** Catalog, streams, leaderboards and battles: what apps and overlays read and do around a live stream. */
export const publicRoutes: RouteDoc[] = [
  {
    method: 'get',
    path: '/v1/coin-packages',
    tag: 'Catalog',
    summary: 'Coin packages on sale',
    description: 'The price per coin never rises with size.',
    auth: 'none',
    ok: { status: 200, description: 'The packages', schema: z.object({ packages: z.array(coinPackage) }) },
    errors: [],
  },
  {
    method: 'get',
    path: '/v1/gifts',
    tag: 'Catalog',
    summary: 'The gift catalog',
    auth: 'none',
    ok: { status: 200, description: 'The gifts', schema: z.object({ gifts: z.array(gift) }) },
    errors: [],
  },
  {
    method: 'get',
    path: '/v1/streams',
    tag: 'Streams',
    summary: 'Live streams, a page at a time',
    auth: 'none',
    query: liveStreamsQuery,
    ok: { status: 200, description: 'A page of live streams', schema: page(liveStreamItem) },
    errors: [],
  },
  {
    method: 'post',
    path: '/v1/streams',
    tag: 'Streams',
    summary: 'Go live',
    description: 'An adult, eligible creator (verified, or enough followers), one live stream at a time.',
    auth: 'user',
    body: createStreamBody,
    ok: { status: 201, description: 'The new live stream', schema: z.object({ stream }) },
    errors: ['UNAUTHORIZED', 'AGE_RESTRICTED', 'NOT_ELIGIBLE', 'CONFLICT'],
  },
  {
    method: 'get',
    path: '/v1/streams/:id',
    tag: 'Streams',
    summary: 'A stream with its viewer count and coins received',
    auth: 'none',
    params: id,
    ok: {
      status: 200,
      description: 'The stream',
      schema: z.object({ stream, viewers: z.number().int(), totalCoins: z.number().int() }),
    },
    errors: ['NOT_FOUND'],
  },
  {
    method: 'post',
    path: '/v1/streams/:id/end',
    tag: 'Streams',
    summary: 'End a stream (its creator)',
    description: 'A battle under way is forfeited; watchers receive `stream:ended`.',
    auth: 'user',
    params: id,
    ok: { status: 200, description: 'The ended stream', schema: z.object({ stream }) },
    errors: ['UNAUTHORIZED', 'FORBIDDEN', 'NOT_FOUND', 'CONFLICT'],
  },
  {
    method: 'get',
    path: '/v1/streams/:id/leaderboard',
    tag: 'Leaderboards',
    summary: "A stream's top gifters",
    description: PAGING,
    auth: 'none',
    params: id,
    query: streamLeaderboardQuery,
    ok: { status: 200, description: 'Ranked gifters', schema: page(leaderboardItem) },
    errors: ['VALIDATION_FAILED', 'NOT_FOUND'],
  },
  {
    method: 'get',
    path: '/v1/creators/:id/leaderboard',
    tag: 'Leaderboards',
    summary: "A creator's top gifters over a period",
    description: `${PAGING} ${PERIODS}`,
    auth: 'none',
    params: id,
    query: creatorLeaderboardQuery,
    ok: {
      status: 200,
      description: 'Ranked gifters of the period',
      schema: page(leaderboardItem).extend({ period: leaderboardPeriodInfo }),
    },
    errors: ['VALIDATION_FAILED', 'NOT_FOUND'],
  },
  // leaderboards (#17): the creator rankings
  {
    method: 'get',
    path: '/v1/leaderboards/creators',
    tag: 'Leaderboards',
    summary: 'Creators ranked by the coins they received over a period',
    description: `Counted when a gift is settled (seconds after it is sent); ties go to whoever reached the score first. ${PERIODS} \`cursor\` pages as on the other boards.`,
    auth: 'none',
    query: creatorRankingsQuery,
    ok: {
      status: 200,
      description: 'Ranked creators of the period',
      schema: page(creatorRankItem).extend({ period: leaderboardPeriodInfo }),
    },
    errors: ['VALIDATION_FAILED'],
  },
  {
    method: 'post',
    path: '/v1/battles',
    tag: 'Battles',
    summary: 'Challenge another live stream to a gift war',
    description: 'By the creator of `streamId`; the opponent has a limited time to accept.',
    auth: 'user',
    body: createBattleBody,
    ok: { status: 201, description: 'The pending battle', schema: battleAnswer },
    errors: ['UNAUTHORIZED', 'FORBIDDEN', 'NOT_FOUND', 'STREAM_NOT_LIVE', 'CONFLICT'],
  },
  ...(['accept', 'decline', 'cancel'] as const).map((action): RouteDoc => ({
    method: 'post',
    path: `/v1/battles/:id/${action}`,
    tag: 'Battles',
    summary: {
      accept: 'Accept a challenge (the opponent): the battle starts',
      decline: 'Decline a challenge (the opponent)',
      cancel: 'Withdraw a challenge (the challenger)',
    }[action],
    auth: 'user',
    params: id,
    ok: { status: 200, description: 'The battle', schema: battleAnswer },
    errors: ['UNAUTHORIZED', 'FORBIDDEN', 'NOT_FOUND', 'STREAM_NOT_LIVE', 'CONFLICT'],
  })),
  {
    method: 'get',
    path: '/v1/battles/:id',
    tag: 'Battles',
    summary: 'A battle, live or finished',
    auth: 'none',
    params: id,
    ok: { status: 200, description: 'The battle', schema: battleAnswer },
    errors: ['NOT_FOUND'],
  },
];
