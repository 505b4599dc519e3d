import { z } from 'zod';
import { uuid } from '../../../shared/contracts/common';
import { createGoalBody } from '../../../shared/contracts/goals';
import { goal } from './models';
import type { RouteDoc } from './route-doc';

const id = { id: uuid };
const goalAnswer = z.object({ goal });

/** Goals (live experience, #17): a creator's target for their live stream, counted with every gift. */
export const goalRoutes: RouteDoc[] = [
  {
    method: 'post',
    path: '/v1/streams/:id/goals',
    tag: 'Goals',
    summary: 'Set a goal on a live stream (its creator)',
    description:
      'Every gift accepted for the stream from now on (of `giftId`, when given) adds its totalCoins to progressCoins ' +
      'in the same atomic step as the gift. One unended goal per stream.',
    auth: 'user',
    params: id,
    body: createGoalBody,
    ok: { status: 201, description: 'The new goal', schema: goalAnswer },
    errors: ['UNAUTHORIZED', 'FORBIDDEN', 'NOT_FOUND', 'STREAM_NOT_LIVE', 'CONFLICT'],
  },
  {
    method: 'post',
    path: '/v1/goals/:id/end',
    tag: 'Goals',
    summary: 'End a goal (its creator)',
    description: 'Gifts stop counting into it. Ending an ended goal answers it as it is.',
    auth: 'user',
    params: id,
    ok: { status: 200, description: 'The goal, ended', schema: goalAnswer },
    errors: ['UNAUTHORIZED', 'FORBIDDEN', 'NOT_FOUND'],
  },
  {
    method: 'get',
    path: '/v1/goals/:id',
    tag: 'Goals',
    summary: 'A goal',
    auth: 'none',
    params: id,
    ok: { status: 200, description: 'The goal', schema: goalAnswer },
    errors: ['NOT_FOUND'],
  },
  {
    method: 'get',
    path: '/v1/streams/:id/goals',
    tag: 'Goals',
    summary: "A stream's goals, newest first",
    auth: 'none',
    params: id,
    ok: { status: 200, description: 'The goals', schema: z.object({ items: z.array(goal) }) },
    errors: ['NOT_FOUND'],
  },
];
