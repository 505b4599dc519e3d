import { randomUUID } from 'node:crypto';
import { ERROR_CODES } from '../../../shared/contracts/errors';
import { reconcile } from '../../../shared/domain/reconcile';
import { emitAck, type TestSocket } from '../../../shared/testing/harness';
import { startTestServer, type TestServer } from '../support/test-server';
import { liveStream, recharge } from '../gifting/fixtures';
import {
  AMOUNTS_EMIT,
  AMOUNTS_RAW,
  FIVE_KB,
  IDS,
  NAMES,
  SLUGS,
  hostileBodies,
  hostileTokens,
  registeredRoutes,
  stateSnapshot,
} from './hostile-values';

/**
 * The standing hostile-input suite (issue #16): every class of hostile input (amount fuzz, `__proto__` and
 * `constructor` keys, look-alike and zero-width unicode, NUL, deeply nested and huge bodies, garbage, expired,
 * `alg: none`, wrong-audience and forged tokens) against every REST route and every Socket.io event. Each row
 * spoils one thing in an otherwise valid request and names the error it must get; at the end nothing moved (the
 * stored state is as it was, the reconciliation finds no violation, no prototype was polluted).
 *
 * The tables are checked against what the server registers at run time: a route or event without rows fails here.
 */

// leaderboards (#17): cursors that are not one the server gave (bad text, a row that is not a row), `around` that
// is not a user id, and `at` that is not a moment or names a period not started yet or past its retention
const BOARD_PAGING = {
  cursor: ['not a cursor!', 'Zm9v', FIVE_KB, '__proto__'],
  around: ['not-a-uuid', '1', FIVE_KB],
};
const BOARD_AT = { at: ['-1', '1.5', 'NaN', 'tomorrow', '9999999999999999999', String(Date.UTC(2999, 0))] };

/** `amount` >= 1; `amount0` may be 0; `limit` may be 0 or null (no limit). */
type FieldKind = 'amount' | 'amount0' | 'limit' | 'id' | 'slug' | 'name' | 'text';
type Auth = 'user' | 'admin' | 'none' | 'overlay';

interface RestSpec {
  auth: Auth;
  /** The method to send, when the table's key does not say (`USE /path` mounts answer any method). */
  method?: string;
  /** The path with valid params. */
  path: () => string;
  /** Path params (index in path.split('/')) and how a hostile one is refused: NOT_FOUND (pages) or VALIDATION_FAILED. */
  params?: Record<number, 'VALIDATION_FAILED' | 'NOT_FOUND'>;
  /** A valid body; absent when the route reads none. */
  body?: () => Record<string, unknown>;
  fields?: Record<string, FieldKind>;
  query?: Record<string, string[]>;
  idempotencyKey?: boolean;
  /** The status of a GET that hostile query keys (prototype pollution) must not change. */
  okStatus?: number;
}

interface EventSpec {
  payload: () => Record<string, unknown>;
  fields: Record<string, FieldKind>;
}

interface Row {
  name: string;
  send: () => Promise<{ status: number; code: string | undefined }>;
  status: number;
  code: string | undefined;
}

/** The contract's status of each error code (the one registry). */
const STATUS: Record<string, number> = ERROR_CODES;

describe('hostile input changes nothing, on every route and event', () => {
  let s: TestServer;
  let viewer: { user: { id: string }; token: string };
  let broke: { user: { id: string }; token: string };
  let stream: { creator: { user: { id: string }; token: string }; streamId: string };
  let opponent: { creator: { user: { id: string }; token: string }; streamId: string };
  let battleId: string;
  let overlayKey: string;
  let goalId: string;
  let tokens: Record<string, string>;
  let before: Record<string, unknown>;
  const sockets: Record<'viewer' | 'broke' | 'anonymous' | 'overlay', TestSocket> = {} as never;

  beforeAll(async () => {
    s = await startTestServer();
    stream = await liveStream(s);
    opponent = await liveStream(s);
    viewer = await s.createUser();
    broke = await s.createUser();
    await recharge(s.url, viewer.token, 1000);
    const battle = await s.request('POST', '/v1/battles', {
      token: stream.creator.token,
      body: { streamId: stream.streamId, opponentStreamId: opponent.streamId, durationSec: 60 },
    });
    battleId = battle.body.battle.id;
    overlayKey = (await s.request('POST', '/v1/overlay-key', { token: stream.creator.token })).body.overlayKey;
    const goal = await s.request('POST', `/v1/streams/${stream.streamId}/goals`, {
      token: stream.creator.token,
      body: { title: 'hostile', targetCoins: 100 },
    });
    goalId = goal.body.goal.id;
    tokens = await hostileTokens(s.deps, viewer.user.id);
    sockets.viewer = await s.connect({ token: viewer.token });
    sockets.broke = await s.connect({ token: broke.token });
    sockets.anonymous = await s.connect();
    sockets.overlay = await s.connect({ overlayKey });
    before = await stateSnapshot(s.deps);
  });
  afterAll(() => s.close());

  const admin = () => s.deps.config.adminToken;
  const uuid = () => randomUUID();

  // ---- the REST table: one entry per registered route ------------------------------------------------------------
  const REST: Record<string, RestSpec> = {
    'GET /health': { auth: 'none', path: () => '/health', okStatus: 200 },
    'GET /health/live': { auth: 'none', path: () => '/health/live', okStatus: 200 },
    'GET /health/ready': { auth: 'none', path: () => '/health/ready', okStatus: 200 },
    'GET /metrics': { auth: 'admin', path: () => '/metrics' },
    'GET /v1/coin-packages': { auth: 'none', path: () => '/v1/coin-packages', okStatus: 200 },
    'GET /v1/gifts': { auth: 'none', path: () => '/v1/gifts', okStatus: 200 },
    'POST /v1/admin/users': {
      auth: 'admin',
      path: () => '/v1/admin/users',
      body: () => ({ displayName: 'Mallory', birthDate: '1990-01-01', verified: true, followers: 5 }),
      fields: { displayName: 'name', birthDate: 'text', followers: 'amount0' },
    },
    'POST /v1/admin/users/:id/token': {
      auth: 'admin',
      path: () => `/v1/admin/users/${viewer.user.id}/token`,
      params: { 4: 'VALIDATION_FAILED' },
    },
    'PATCH /v1/admin/users/:id': {
      auth: 'admin',
      path: () => `/v1/admin/users/${viewer.user.id}`,
      params: { 4: 'VALIDATION_FAILED' },
      body: () => ({ followers: 7, dailySpendLimitCoins: 500 }),
      fields: { followers: 'amount0', dailySpendLimitCoins: 'limit' },
    },
    'POST /v1/overlay-key': {
      auth: 'user',
      path: () => '/v1/overlay-key',
      query: { streamId: Object.values(IDS) },
    },
    'GET /v1/overlay/stream': { auth: 'overlay', path: () => '/v1/overlay/stream' },
    'GET /v1/overlay-settings': { auth: 'user', path: () => '/v1/overlay-settings' },
    'PUT /v1/overlay-settings': {
      auth: 'user',
      path: () => '/v1/overlay-settings',
      body: () => ({ minCoins: 10, position: 'top', font: 'serif', accentColor: '#00e0ff', volume: 40 }),
      fields: { minCoins: 'amount0', volume: 'amount0', position: 'text', font: 'text', accentColor: 'text' },
    },
    'GET /v1/overlay/settings': { auth: 'overlay', path: () => '/v1/overlay/settings' },
    'POST /v1/overlay/test-alert': {
      auth: 'user',
      path: () => '/v1/overlay/test-alert',
      body: () => ({ tier: 'epic' }),
      fields: { tier: 'text' },
    },
    'POST /v1/streams': {
      auth: 'user',
      path: () => '/v1/streams',
      body: () => ({ title: 'a second stream' }),
      fields: { title: 'text' },
    },
    'POST /v1/streams/:id/end': {
      auth: 'user',
      path: () => `/v1/streams/${stream.streamId}/end`,
      params: { 3: 'VALIDATION_FAILED' },
    },
    'GET /v1/streams/:id': {
      auth: 'none',
      path: () => `/v1/streams/${stream.streamId}`,
      params: { 3: 'VALIDATION_FAILED' },
      okStatus: 200,
    },
    'GET /v1/streams': {
      auth: 'none',
      path: () => '/v1/streams',
      query: {
        status: ['ended', 'LIVE\u0000', FIVE_KB],
        limit: ['0', '-1', '1.5', '101', 'abc', FIVE_KB],
        cursor: [FIVE_KB, ''],
      },
      okStatus: 200,
    },
    'POST /v1/battles': {
      auth: 'user',
      path: () => '/v1/battles',
      body: () => ({ streamId: stream.streamId, opponentStreamId: opponent.streamId, durationSec: 60 }),
      fields: { streamId: 'id', opponentStreamId: 'id', durationSec: 'amount' },
    },
    'POST /v1/battles/:id/accept': {
      auth: 'user',
      path: () => `/v1/battles/${battleId}/accept`,
      params: { 3: 'VALIDATION_FAILED' },
    },
    'POST /v1/battles/:id/decline': {
      auth: 'user',
      path: () => `/v1/battles/${battleId}/decline`,
      params: { 3: 'VALIDATION_FAILED' },
    },
    'POST /v1/battles/:id/cancel': {
      auth: 'user',
      path: () => `/v1/battles/${battleId}/cancel`,
      params: { 3: 'VALIDATION_FAILED' },
    },
    'GET /v1/battles/:id': {
      auth: 'none',
      path: () => `/v1/battles/${battleId}`,
      params: { 3: 'VALIDATION_FAILED' },
      okStatus: 200,
    },
    'GET /v1/streams/:id/leaderboard': {
      auth: 'none',
      path: () => `/v1/streams/${stream.streamId}/leaderboard`,
      params: { 3: 'VALIDATION_FAILED' },
      query: { limit: ['0', '-1', '1.5', '101', 'NaN', FIVE_KB], ...BOARD_PAGING },
      okStatus: 200,
    },
    'GET /v1/creators/:id/leaderboard': {
      auth: 'none',
      path: () => `/v1/creators/${stream.creator.user.id}/leaderboard`,
      params: { 3: 'VALIDATION_FAILED' },
      query: {
        period: ['year', 'DAY', 'day\u0000', '__proto__', FIVE_KB],
        limit: ['0', '1.5', 'Infinity'],
        ...BOARD_PAGING,
        ...BOARD_AT,
      },
      okStatus: 200,
    },
    // leaderboards (#17): the creator rankings
    'GET /v1/leaderboards/creators': {
      auth: 'none',
      path: () => '/v1/leaderboards/creators',
      query: {
        period: ['year', 'HOUR', '__proto__', FIVE_KB],
        limit: ['0', '101', 'NaN'],
        cursor: BOARD_PAGING.cursor,
        ...BOARD_AT,
      },
      okStatus: 200,
    },
    'GET /v1/wallet': { auth: 'user', path: () => '/v1/wallet' },
    'POST /v1/wallet/recharges': {
      auth: 'user',
      path: () => '/v1/wallet/recharges',
      body: () => ({ coins: 100, payment: { token: 'tok_ok' } }),
      fields: { coins: 'amount', 'payment.token': 'text' },
      idempotencyKey: true,
    },
    'PATCH /v1/wallet/limits': {
      auth: 'user',
      path: () => '/v1/wallet/limits',
      body: () => ({ dailySpendLimitCoins: 100 }),
      fields: { dailySpendLimitCoins: 'limit' },
    },
    'GET /v1/wallet/transactions': {
      auth: 'user',
      path: () => '/v1/wallet/transactions',
      query: { limit: ['0', '-1', '1.5', '101', FIVE_KB], cursor: ['garbage', '-1', '0', FIVE_KB] },
    },
    'POST /v1/payouts': {
      auth: 'user',
      path: () => '/v1/payouts',
      body: () => ({ diamonds: 2000, destination: 'acct_ok' }),
      fields: { diamonds: 'amount', destination: 'text' },
      idempotencyKey: true,
    },
    'GET /v1/payouts': {
      auth: 'user',
      path: () => '/v1/payouts',
      query: { limit: ['0', '-1', '1.5', '101'], cursor: ['garbage', '-1', FIVE_KB] },
    },
    'POST /v1/dev/login': {
      auth: 'none',
      path: () => '/v1/dev/login',
      body: () => ({ displayName: 'Mallory' }),
      fields: { displayName: 'name' },
    },
    'GET /v1/admin/queues': { auth: 'admin', path: () => '/v1/admin/queues' },
    'POST /v1/admin/queues/:queue/retry-failed': {
      auth: 'admin',
      path: () => '/v1/admin/queues/settlement/retry-failed',
      params: { 4: 'VALIDATION_FAILED' },
    },
    'USE /admin/queues': { auth: 'admin', method: 'GET', path: () => '/admin/queues' },
    'GET /v1/openapi.json': { auth: 'none', path: () => '/v1/openapi.json', okStatus: 200 },
    'GET /v1/asyncapi.json': { auth: 'none', path: () => '/v1/asyncapi.json', okStatus: 200 },
    'POST /v1/admin/users/:id/suspend': {
      auth: 'admin',
      path: () => `/v1/admin/users/${uuid()}/suspend`,
      params: { 4: 'VALIDATION_FAILED' },
      body: () => ({ reason: 'hostile-input story' }),
      fields: { reason: 'text' },
    },
    'POST /v1/admin/users/:id/unsuspend': {
      auth: 'admin',
      path: () => `/v1/admin/users/${uuid()}/unsuspend`,
      params: { 4: 'VALIDATION_FAILED' },
    },
    'POST /v1/admin/users/:id/revoke-tokens': {
      auth: 'admin',
      path: () => `/v1/admin/users/${uuid()}/revoke-tokens`,
      params: { 4: 'VALIDATION_FAILED' },
    },
    'POST /v1/admin/recharges/:id/chargeback': {
      auth: 'admin',
      path: () => `/v1/admin/recharges/${uuid()}/chargeback`,
      params: { 4: 'VALIDATION_FAILED' },
    },
    'GET /v1/admin/chargebacks': { auth: 'admin', path: () => '/v1/admin/chargebacks' },
    'GET /v1/admin/flags': { auth: 'admin', path: () => '/v1/admin/flags' },
    'GET /v1/admin/audit': { auth: 'admin', path: () => '/v1/admin/audit' },
    'POST /v1/payout-destinations': {
      auth: 'user',
      path: () => '/v1/payout-destinations',
      body: () => ({ destination: 'acct_ok' }),
      fields: { destination: 'text' },
    },
    'GET /v1/payout-destinations': { auth: 'user', path: () => '/v1/payout-destinations' },
    'POST /v1/admin/payouts/:id/approve': {
      auth: 'admin',
      path: () => `/v1/admin/payouts/${uuid()}/approve`,
      params: { 4: 'VALIDATION_FAILED' },
    },
    'POST /v1/admin/payouts/:id/reject': {
      auth: 'admin',
      path: () => `/v1/admin/payouts/${uuid()}/reject`,
      params: { 4: 'VALIDATION_FAILED' },
    },
    'GET /docs': { auth: 'none', path: () => '/docs', okStatus: 200 },
    'GET /docs/init.js': { auth: 'none', path: () => '/docs/init.js', okStatus: 200 },
    'GET /docs/swagger-ui/:file': {
      auth: 'none',
      path: () => '/docs/swagger-ui/swagger-ui.css',
      params: { 3: 'NOT_FOUND' },
      okStatus: 200,
    },
    'GET /': { auth: 'none', path: () => '/', okStatus: 200 },
    'GET /studio': { auth: 'none', path: () => '/studio', okStatus: 200 },
    'GET /watch/:streamId': {
      auth: 'none',
      path: () => `/watch/${stream.streamId}`,
      params: { 2: 'NOT_FOUND' },
      okStatus: 200,
    },
    'GET /overlay/:streamId': {
      auth: 'none',
      path: () => '/overlay/live',
      params: { 2: 'NOT_FOUND' },
      okStatus: 200,
    },
    'GET /favicon.svg': { auth: 'none', path: () => '/favicon.svg', okStatus: 200 },
    'GET /assets/:file': { auth: 'none', path: () => '/assets/main.js', params: { 2: 'NOT_FOUND' } },
    // live experience (#17): goals
    'POST /v1/streams/:id/goals': {
      auth: 'user',
      path: () => `/v1/streams/${stream.streamId}/goals`,
      params: { 3: 'VALIDATION_FAILED' },
      body: () => ({ title: 'a goal', targetCoins: 100, giftId: 'rose' }),
      fields: { title: 'text', targetCoins: 'amount', giftId: 'slug' },
    },
    'POST /v1/goals/:id/end': {
      auth: 'user',
      path: () => `/v1/goals/${goalId}/end`,
      params: { 3: 'VALIDATION_FAILED' },
    },
    'GET /v1/goals/:id': {
      auth: 'none',
      path: () => `/v1/goals/${goalId}`,
      params: { 3: 'VALIDATION_FAILED' },
      okStatus: 200,
    },
    'GET /v1/streams/:id/goals': {
      auth: 'none',
      path: () => `/v1/streams/${stream.streamId}/goals`,
      params: { 3: 'VALIDATION_FAILED' },
      okStatus: 200,
    },
  };

  // ---- the Socket.io table: one entry per event a client may emit --------------------------------------------------
  const EVENTS: Record<string, EventSpec> = {
    'stream:join': { payload: () => ({ streamId: stream.streamId }), fields: { streamId: 'id' } },
    'stream:leave': { payload: () => ({ streamId: stream.streamId }), fields: { streamId: 'id' } },
    'gift:send': {
      payload: () => ({ streamId: stream.streamId, giftId: 'rose', count: 1, idempotencyKey: uuid() }),
      fields: { streamId: 'id', giftId: 'slug', count: 'amount', idempotencyKey: 'id' },
    },
  };

  // ---- row builders -------------------------------------------------------------------------------------------------
  async function call(
    method: string,
    path: string,
    opts: { token?: string; raw?: string; headers?: Record<string, string> } = {},
  ) {
    const headers: Record<string, string> = { ...(opts.headers ?? {}) };
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    if (opts.raw !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(s.url + path, { method, headers, body: opts.raw });
    const text = await res.text();
    let code: string | undefined;
    try {
      code = (JSON.parse(text) as { error?: { code?: string } }).error?.code;
    } catch {
      code = undefined;
    }
    return { status: res.status, code };
  }

  const rawValues = (kind: FieldKind): Record<string, string> => {
    if (kind === 'amount') return AMOUNTS_RAW;
    if (kind === 'amount0' || kind === 'limit') {
      const { zero: _zero, null: _null, ...rest } = AMOUNTS_RAW;
      return kind === 'limit' ? rest : { ...rest, null: 'null' };
    }
    const table = kind === 'id' ? IDS : kind === 'slug' ? SLUGS : kind === 'name' ? NAMES : { fiveKb: FIVE_KB };
    const out: Record<string, string> = { number: '5', object: '{}', array: '[]', null: 'null' };
    if (kind === 'text') out.empty = '""';
    for (const [k, v] of Object.entries(table)) out[k] = JSON.stringify(v);
    return out;
  };

  /** The valid body with `field` (a dot path) replaced by raw JSON text. */
  function withRaw(body: Record<string, unknown>, field: string, raw: string): string {
    const marker = `@@${randomUUID()}@@`;
    const copy = structuredClone(body);
    const parts = field.split('.');
    let at = copy as Record<string, unknown>;
    for (const p of parts.slice(0, -1)) at = at[p] as Record<string, unknown>;
    at[parts[parts.length - 1]!] = marker;
    return JSON.stringify(copy).replace(JSON.stringify(marker), raw);
  }

  function restRows(route: string, spec: RestSpec): Row[] {
    const method = spec.method ?? route.split(' ')[0]!;
    const rows: Row[] = [];
    const validToken = () => (spec.auth === 'admin' ? admin() : spec.auth === 'user' ? viewer.token : undefined);
    const headers = () => ({
      ...(spec.idempotencyKey ? { 'idempotency-key': uuid() } : {}),
      ...(spec.auth === 'overlay' ? { 'x-overlay-key': overlayKey } : {}),
    });
    const raw = () => (spec.body ? JSON.stringify(spec.body()) : undefined);
    const row = (name: string, code: string | undefined, send: Row['send'], status = STATUS[code!]!) =>
      rows.push({ name: `${route} ${name}`, send, status, code });

    if (spec.auth === 'user' || spec.auth === 'admin') {
      const bad = {
        ...tokens,
        ...(spec.auth === 'admin' ? { aUserToken: viewer.token } : { theOperatorToken: admin() }),
      };
      for (const [name, token] of Object.entries(bad)) {
        row(`token ${name}`, 'UNAUTHORIZED', () =>
          call(method, spec.path(), { token, raw: raw(), headers: headers() }),
        );
      }
      row('no token', 'UNAUTHORIZED', () => call(method, spec.path(), { raw: raw(), headers: headers() }));
      const basic = `Basic ${Buffer.from(`operator:${tokens.forgedSignature}`).toString('base64')}`;
      row('Basic with a wrong password', 'UNAUTHORIZED', () =>
        call(method, spec.path(), { raw: raw(), headers: { ...headers(), authorization: basic } }),
      );
    }
    if (spec.auth === 'overlay') {
      for (const [name, key] of Object.entries({ unknown: 'A'.repeat(32), ...IDS, fiveKb: FIVE_KB })) {
        if (!/^[\x20-\x7e]*$/.test(key)) continue; // not sendable in a header
        row(`overlay key ${name}`, 'UNAUTHORIZED', () =>
          call(method, spec.path(), { headers: { 'x-overlay-key': key } }),
        );
      }
    }
    for (const [position, code] of Object.entries(spec.params ?? {})) {
      for (const [name, value] of Object.entries(IDS)) {
        const path = () => {
          const segments = spec.path().split('/');
          segments[Number(position)] = encodeURIComponent(value);
          return segments.join('/');
        };
        row(`param ${name}`, code, () => call(method, path(), { token: validToken(), raw: raw(), headers: headers() }));
      }
    }
    if (spec.body) {
      for (const [field, kind] of Object.entries(spec.fields ?? {})) {
        for (const [name, value] of Object.entries(rawValues(kind))) {
          row(`${field} ${name}`, 'VALIDATION_FAILED', () =>
            call(method, spec.path(), {
              token: validToken(),
              raw: withRaw(spec.body!(), field, value),
              headers: headers(),
            }),
          );
        }
      }
    }
    if (method !== 'GET') {
      const bodies = hostileBodies(spec.body?.() ?? {});
      for (const [name, text] of Object.entries(bodies)) {
        // a route that reads no body ignores well-formed extra keys; only what cannot be parsed is refused there
        if (!spec.body && /^(proto|constructor)/.test(name)) continue;
        row(`body ${name}`, 'VALIDATION_FAILED', () =>
          call(method, spec.path(), { token: validToken(), raw: text, headers: headers() }),
        );
      }
    }
    if (spec.idempotencyKey) {
      const keys: Record<string, string | undefined> = { missing: undefined, tooLong: 'k'.repeat(256), empty: '' };
      for (const [name, key] of Object.entries(keys)) {
        row(`Idempotency-Key ${name}`, 'VALIDATION_FAILED', () =>
          call(method, spec.path(), {
            token: validToken(),
            raw: raw(),
            headers: key === undefined ? {} : { 'idempotency-key': key },
          }),
        );
      }
    }
    for (const [param, values] of Object.entries(spec.query ?? {})) {
      for (const value of values) {
        row(`?${param}=${JSON.stringify(value.slice(0, 12))}`, 'VALIDATION_FAILED', () =>
          call(method, `${spec.path()}?${param}=${encodeURIComponent(value)}`, { token: validToken() }),
        );
      }
    }
    if (method === 'GET' && spec.okStatus) {
      const polluting = '__proto__[polluted]=1&constructor[prototype][polluted]=1&__proto__.polluted=1';
      row('prototype-polluting query', undefined, () => call(method, `${spec.path()}?${polluting}`), spec.okStatus);
    }
    return rows;
  }

  type Ack = { ok: boolean; error?: { code: string } };
  const emit = async (socket: TestSocket, event: string, payload: unknown) => {
    const ack = await emitAck<Ack>(socket, event, payload);
    return { status: ack.ok ? 200 : (STATUS[ack.error!.code] ?? 0), code: ack.error?.code };
  };

  function eventRows(event: string, spec: EventSpec): Row[] {
    const rows: Row[] = [];
    const row = (name: string, code: string, send: Row['send']) =>
      rows.push({ name: `${event} ${name}`, send, status: STATUS[code] ?? 0, code });
    const as = (socket: TestSocket, payload: () => unknown) => () => emit(socket, event, payload());
    for (const [field, kind] of Object.entries(spec.fields)) {
      const values: Record<string, unknown> =
        kind === 'amount' ? AMOUNTS_EMIT : kind === 'id' ? IDS : kind === 'slug' ? SLUGS : { fiveKb: FIVE_KB };
      for (const [name, value] of Object.entries({ ...values, object: {}, array: [], null: null })) {
        row(
          `${field} ${name}`,
          'VALIDATION_FAILED',
          as(sockets.viewer, () => ({ ...spec.payload(), [field]: value })),
        );
      }
    }
    const valid = () => JSON.stringify(spec.payload());
    const structures: Record<string, () => unknown> = {
      protoCarriesTheFields: () => JSON.parse(`{"__proto__":${valid()}}`),
      constructorCarriesTheFields: () => JSON.parse(`{"constructor":{"prototype":${valid()}}}`),
      hugeExtraField: () => ({ ...spec.payload(), x: FIVE_KB }),
      deeplyNestedField: () => ({
        ...spec.payload(),
        [Object.keys(spec.fields)[0]!]: JSON.parse('['.repeat(40) + ']'.repeat(40)),
      }),
      aString: () => 'garbage',
      aNumber: () => 5,
      anArray: () => [spec.payload()],
      nothing: () => null,
    };
    for (const [name, payload] of Object.entries(structures))
      row(name, 'VALIDATION_FAILED', as(sockets.viewer, payload));
    if (event === 'gift:send') {
      row('from an anonymous socket', 'UNAUTHORIZED', as(sockets.anonymous, spec.payload));
      row('from an overlay socket', 'UNAUTHORIZED', as(sockets.overlay, spec.payload));
      // a __proto__ key beside valid fields is ignored, never used: a user without coins gets INSUFFICIENT_FUNDS
      row(
        'protoBesideTheFields',
        'INSUFFICIENT_FUNDS',
        as(sockets.broke, () =>
          JSON.parse(`${valid().slice(0, -1)},"__proto__":{"count":99,"coins":0,"isAdmin":true}}`),
        ),
      );
    }
    return rows;
  }

  async function check(rows: Row[]) {
    const wrong: string[] = [];
    for (const r of rows) {
      const got = await r.send();
      if (got.status !== r.status || got.code !== r.code) {
        wrong.push(`${r.name}: expected ${r.status} ${r.code}, got ${got.status} ${got.code}`);
      }
    }
    expect(wrong).toEqual([]);
    expect(rows.length).toBeGreaterThan(0);
  }

  // ---- the suite ----------------------------------------------------------------------------------------------------
  it('the tables cover every route the server registers and every event a socket listens to', async () => {
    expect(registeredRoutes(s.giftwire.app)).toEqual(Object.keys(REST).sort());
    const serverSocket = [...s.giftwire.io.of('/').sockets.values()][0]!;
    const reserved = new Set(['connect', 'disconnect', 'disconnecting', 'error', 'newListener', 'removeListener']);
    const events = serverSocket.eventNames().filter((e): e is string => typeof e === 'string' && !reserved.has(e));
    expect(events.sort()).toEqual(Object.keys(EVENTS).sort());
  });

  for (const route of Object.keys(REST)) {
    it(`REST ${route}`, () => check(restRows(route, REST[route]!)));
  }

  for (const event of Object.keys(EVENTS)) {
    it(`Socket.io ${event}`, () => check(eventRows(event, EVENTS[event]!)));
  }

  it('Socket.io handshake: every hostile token or overlay key fails with connect_error UNAUTHORIZED', async () => {
    const auths: Record<string, Record<string, unknown>> = {
      ...Object.fromEntries(Object.entries(tokens).map(([k, token]) => [`token ${k}`, { token }])),
      'token a number': { token: 5 },
      'token an object': { token: { sub: viewer?.user.id } },
      'overlay key unknown': { overlayKey: 'A'.repeat(32) },
      'overlay key 5 KB': { overlayKey: FIVE_KB },
      'overlay key __proto__': { overlayKey: '__proto__' },
      'overlay key an object': { overlayKey: { toString: 'x' } },
    };
    const wrong: string[] = [];
    for (const [name, auth] of Object.entries(auths)) {
      const outcome = await s.connect(auth).then(
        (socket) => {
          socket.disconnect();
          return 'connected';
        },
        (err: Error) => err.message,
      );
      if (outcome !== 'UNAUTHORIZED') wrong.push(`${name}: ${outcome}`);
    }
    expect(wrong).toEqual([]);
  });

  it('afterwards nothing moved: the stored state is unchanged, reconciliation is clean, no prototype polluted', async () => {
    expect(await stateSnapshot(s.deps)).toEqual(before);
    const report = await reconcile(s.deps);
    expect(report.violationCount).toBe(0);
    expect(report.ok).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
    expect(Object.keys(Object.prototype)).toEqual([]);
  });
});
