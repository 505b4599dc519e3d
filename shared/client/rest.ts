import type { z } from 'zod';
import type { createBattleBody } from '../contracts/battles';
import type { CoinPackage, Gift } from '../contracts/catalog';
import type { Page } from '../contracts/common';
import type { CreatorRankItem, creatorLeaderboardQuery, LeaderboardPeriodInfo } from '../contracts/leaderboards';
import type { Battle, Goal, LeaderboardItem, Payout, Recharge, Stream, Transaction, Wallet } from '../contracts/models';
import type { createPayoutBody } from '../contracts/payouts';
import type { LiveStreamItem, OverlayStreamResponse } from '../contracts/live-streams';
import type { User, createUserBody, patchUserBody } from '../contracts/users';
import type { rechargeBody } from '../contracts/wallet';
import { call, type HttpOptions } from './http';

/** Request bodies as clients send them: the very schemas the server validates with (types only, no zod at run time). */
export type CreateBattleInput = z.input<typeof createBattleBody>;
export type RechargeInput = z.input<typeof rechargeBody>;
export type PayoutInput = z.input<typeof createPayoutBody>;
export type CreateUserInput = z.input<typeof createUserBody>;
export type PatchUserInput = z.input<typeof patchUserBody>;
export type LeaderboardPeriod = z.input<typeof creatorLeaderboardQuery>['period'];
export interface ListInput {
  limit?: number;
  cursor?: string;
}
/** A leaderboard page: after `cursor`, or centred on the user `around` (not both). */
export interface BoardInput extends ListInput {
  around?: string;
}
/** A dated board: `at` (ms, default now) picks the period that contains it. */
export interface PeriodInput {
  period?: LeaderboardPeriod;
  at?: number;
}
/** A call that takes an idempotency key: yours, or one generated for it (and reused by its retries). */
export interface IdempotentInput {
  idempotencyKey?: string;
}
export interface StreamView {
  stream: Stream;
  viewers: number;
  totalCoins: number;
}
export interface QueueCounts {
  name: string;
  waiting: number;
  active: number;
  delayed: number;
  failed: number;
  completed: number;
}

/** POST /v1/streams/:id/goals (giftId: only that gift counts). */
export interface CreateGoalInput {
  title: string;
  targetCoins: number;
  giftId?: string;
}

const enc = encodeURIComponent;

/** Every REST route of the contract, typed. */
export function restApi(http: HttpOptions) {
  const get = <T>(path: string, query?: Record<string, string | number | undefined>) =>
    call<T>(http, 'GET', path, { query });
  const post = <T>(path: string, body?: unknown, idempotencyKey?: string | boolean) =>
    call<T>(http, 'POST', path, { body, idempotent: idempotencyKey });
  const patch = <T>(path: string, body: unknown) => call<T>(http, 'PATCH', path, { body });
  const key = (o: IdempotentInput = {}) => o.idempotencyKey ?? true;
  return {
    gifts: () => get<{ gifts: Gift[] }>('/v1/gifts').then((r) => r.gifts),
    coinPackages: () => get<{ packages: CoinPackage[] }>('/v1/coin-packages').then((r) => r.packages),

    liveStreams: (q: ListInput = {}) => get<Page<LiveStreamItem>>('/v1/streams', { ...q, status: 'live' }),
    stream: (id: string) => get<StreamView>(`/v1/streams/${enc(id)}`),
    startStream: (title: string) => post<{ stream: Stream }>('/v1/streams', { title }).then((r) => r.stream),
    endStream: (id: string) => post<{ stream: Stream }>(`/v1/streams/${enc(id)}/end`).then((r) => r.stream),
    streamLeaderboard: (id: string, q: BoardInput = {}) =>
      get<Page<LeaderboardItem>>(`/v1/streams/${enc(id)}/leaderboard`, { ...q }),
    creatorLeaderboard: (id: string, q: BoardInput & PeriodInput = {}) =>
      get<Page<LeaderboardItem> & { period: LeaderboardPeriodInfo }>(`/v1/creators/${enc(id)}/leaderboard`, { ...q }),
    creatorRankings: (q: ListInput & PeriodInput = {}) =>
      get<Page<CreatorRankItem> & { period: LeaderboardPeriodInfo }>('/v1/leaderboards/creators', { ...q }),

    createBattle: (body: CreateBattleInput) => post<{ battle: Battle }>('/v1/battles', body).then((r) => r.battle),
    acceptBattle: (id: string) => post<{ battle: Battle }>(`/v1/battles/${enc(id)}/accept`).then((r) => r.battle),
    declineBattle: (id: string) => post<{ battle: Battle }>(`/v1/battles/${enc(id)}/decline`).then((r) => r.battle),
    cancelBattle: (id: string) => post<{ battle: Battle }>(`/v1/battles/${enc(id)}/cancel`).then((r) => r.battle),
    battle: (id: string) => get<{ battle: Battle }>(`/v1/battles/${enc(id)}`).then((r) => r.battle),

    // live experience (#17): goals
    createGoal: (streamId: string, body: CreateGoalInput) =>
      post<{ goal: Goal }>(`/v1/streams/${enc(streamId)}/goals`, body).then((r) => r.goal),
    endGoal: (id: string) => post<{ goal: Goal }>(`/v1/goals/${enc(id)}/end`).then((r) => r.goal),
    goal: (id: string) => get<{ goal: Goal }>(`/v1/goals/${enc(id)}`).then((r) => r.goal),
    streamGoals: (streamId: string) =>
      get<{ items: Goal[] }>(`/v1/streams/${enc(streamId)}/goals`).then((r) => r.items),

    wallet: () => get<Wallet>('/v1/wallet'),
    recharge: (body: RechargeInput, o?: IdempotentInput) =>
      post<{ recharge: Recharge; wallet: Wallet }>('/v1/wallet/recharges', body, key(o)),
    lowerDailyLimit: (dailySpendLimitCoins: number) =>
      patch<{ wallet: Wallet }>('/v1/wallet/limits', { dailySpendLimitCoins }).then((r) => r.wallet),
    transactions: (q: ListInput = {}) => get<Page<Transaction>>('/v1/wallet/transactions', { ...q }),
    requestPayout: (body: PayoutInput, o?: IdempotentInput) =>
      post<{ payout: Payout }>('/v1/payouts', body, key(o)).then((r) => r.payout),
    payouts: (q: ListInput = {}) => get<Page<Payout>>('/v1/payouts', { ...q }),

    overlayKey: () => post<{ overlayKey: string; overlayUrl: string }>('/v1/overlay-key'),
    overlayStream: (overlayKey: string) =>
      call<OverlayStreamResponse>(http, 'GET', '/v1/overlay/stream', { headers: { 'x-overlay-key': overlayKey } }),
    /** Development servers only (NODE_ENV not production): a new adult, verified user. */
    devLogin: (displayName: string) => post<{ user: User; token: string }>('/v1/dev/login', { displayName }),

    /** Operator calls: the client's token must be the operator token. */
    admin: {
      createUser: (body: CreateUserInput) => post<{ user: User; token: string }>('/v1/admin/users', body),
      userToken: (userId: string) =>
        post<{ token: string }>(`/v1/admin/users/${enc(userId)}/token`).then((r) => r.token),
      patchUser: (userId: string, body: PatchUserInput) =>
        patch<{ user: User }>(`/v1/admin/users/${enc(userId)}`, body).then((r) => r.user),
      queues: () => get<{ items: QueueCounts[] }>('/v1/admin/queues').then((r) => r.items),
      retryFailed: (queue: string) =>
        post<{ queue: string; retried: number }>(`/v1/admin/queues/${enc(queue)}/retry-failed`),
    },
  };
}

export type RestApi = ReturnType<typeof restApi>;
