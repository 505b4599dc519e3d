import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { randomUUID } from 'node:crypto';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { ROUTES, openApiPath } from '../../http/openapi/document';
import { startTestServer, type TestServer } from '../support/test-server';
import { routerRoutes } from './router-routes';

/** Routes that are not the REST API: HTML pages, their assets, the reference page itself, the queue dashboard. */
const NOT_REST = [
  'get /',
  'get /watch/:streamId',
  'get /overlay/:streamId',
  'get /studio',
  'get /favicon.svg',
  'get /assets/:file',
  'get /docs',
  'get /docs/init.js',
  'get /docs/swagger-ui/:file',
];

/** Every REST route of the public contract (../shared/API.md), as `METHOD /path` with Express parameters. */
const CONTRACT = [
  'get /health',
  'post /v1/admin/users',
  'post /v1/admin/users/:id/token',
  'patch /v1/admin/users/:id',
  'get /v1/coin-packages',
  'get /v1/gifts',
  'get /v1/wallet',
  'post /v1/wallet/recharges',
  'patch /v1/wallet/limits',
  'get /v1/wallet/transactions',
  'post /v1/streams',
  'post /v1/streams/:id/end',
  'get /v1/streams/:id',
  'get /v1/streams/:id/leaderboard',
  'get /v1/creators/:id/leaderboard',
  'post /v1/battles',
  'post /v1/battles/:id/accept',
  'post /v1/battles/:id/decline',
  'post /v1/battles/:id/cancel',
  'get /v1/battles/:id',
  'post /v1/payouts',
  'get /v1/payouts',
  'post /v1/overlay-key',
  'post /v1/dev/login',
  'get /v1/openapi.json',
  'get /v1/asyncapi.json',
];

const described = () => ROUTES.map((r) => `${r.method} ${r.path}`);

describe('the OpenAPI document describes the REST API the server really has', () => {
  let server: TestServer;
  let doc: any;
  beforeAll(async () => {
    server = await startTestServer();
    const res = await server.request('GET', '/v1/openapi.json');
    expect(res.status).toBe(200);
    doc = res.body;
  });
  afterAll(() => server.close());

  test('every route the server answers has a description, and every description names a route it answers', () => {
    const answered = routerRoutes(server.giftwire.app).filter((r) => !NOT_REST.includes(r));
    // a new route needs its row in server/http/openapi/routes-*.ts (a page or asset: NOT_REST above)
    const undescribed = answered.filter((r) => !described().includes(r));
    expect({ undescribed }).toEqual({ undescribed: [] });
    const describedButNotRouted = described().filter((r) => !answered.includes(r));
    expect({ describedButNotRouted }).toEqual({ describedButNotRouted: [] });
  });

  test('every route of the contract is in the document, with its responses and the error shape', () => {
    for (const route of CONTRACT) {
      const [method, p] = route.split(' ') as [string, string];
      const op = doc.paths[openApiPath(p)]?.[method];
      expect({ route, described: Boolean(op) }).toEqual({ route, described: true });
      expect(op.summary.length).toBeGreaterThan(0);
      const statuses = Object.keys(op.responses).map(Number);
      expect(statuses.some((s) => s < 300)).toBe(true);
      expect(op.responses['500'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/Error' });
    }
    const recharge = doc.paths['/v1/wallet/recharges'].post;
    expect(recharge.parameters).toContainEqual(expect.objectContaining({ name: 'Idempotency-Key', in: 'header' }));
    expect(recharge.requestBody.content['application/json'].schema.properties).toHaveProperty('payment');
    const board = doc.paths['/v1/creators/{id}/leaderboard'].get.parameters.map((p: any) => `${p.in}:${p.name}`);
    expect(board).toEqual(expect.arrayContaining(['path:id', 'query:period', 'query:limit']));
    expect(doc.components.schemas.ErrorBody.properties.code.enum).toContain('IDEMPOTENCY_CONFLICT');
  });

  test('the document validates as OpenAPI 3.1 (@seriousme/openapi-schema-validator)', async () => {
    expect(doc.openapi).toBe('3.1.0');
    const dir = mkdtempSync(path.join(tmpdir(), 'giftwire-openapi-'));
    try {
      const file = path.join(dir, 'openapi.json');
      writeFileSync(file, JSON.stringify(doc));
      const cli = require.resolve('@seriousme/openapi-schema-validator/bin/validate-api-cli.js');
      const { stdout } = await promisify(execFile)(process.execPath, [cli, file]).catch((err: { stdout: string }) => ({
        stdout: err.stdout,
      }));
      expect(JSON.parse(stdout)).toEqual({ valid: true });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('real answers match the schemas the document gives for them, errors included', async () => {
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats(ajv);
    const checked: string[] = [];
    const check = async (method: string, p: string, route: string, opts: Parameters<TestServer['request']>[2] = {}) => {
      const res = await server.request(method.toUpperCase(), p, opts);
      const response = doc.paths[openApiPath(route)][method].responses[String(res.status)];
      expect({ route, status: res.status, documented: Boolean(response) }).toEqual({
        route,
        status: res.status,
        documented: true,
      });
      const schema = response.content['application/json'].schema;
      const validate = ajv.compile({ ...schema, components: doc.components });
      const ok = validate(res.body);
      expect({ route, status: res.status, errors: validate.errors ?? null }).toEqual({
        route,
        status: res.status,
        errors: null,
      });
      expect(ok).toBe(true);
      checked.push(`${method} ${route} ${res.status}`);
      return res.body;
    };
    const admin = server.deps.config.adminToken;
    const creator = await server.createUser({ followers: 5000 });
    const rival = await server.createUser({ followers: 5000 });
    const viewer = await server.createUser();

    await check('get', '/v1/gifts', '/v1/gifts');
    await check('get', '/v1/coin-packages', '/v1/coin-packages');
    const { stream } = await check('post', '/v1/streams', '/v1/streams', {
      token: creator.token,
      body: { title: 'docs' },
    });
    const other = (await check('post', '/v1/streams', '/v1/streams', { token: rival.token, body: { title: 'b' } }))
      .stream;
    await check('get', '/v1/streams', '/v1/streams');
    await check('get', `/v1/streams/${stream.id}`, '/v1/streams/:id');
    await check('post', '/v1/wallet/recharges', '/v1/wallet/recharges', {
      token: viewer.token,
      headers: { 'idempotency-key': randomUUID() },
      body: { coins: 500, payment: { token: 'tok_ok' } },
    });
    await check('post', '/v1/wallet/recharges', '/v1/wallet/recharges', {
      token: viewer.token,
      headers: { 'idempotency-key': randomUUID() },
      body: { coins: 500, payment: { token: 'tok_declined' } },
    });
    await check('get', '/v1/wallet', '/v1/wallet', { token: viewer.token });
    await check('get', '/v1/wallet/transactions', '/v1/wallet/transactions', { token: viewer.token });
    await check('patch', '/v1/wallet/limits', '/v1/wallet/limits', {
      token: viewer.token,
      body: { dailySpendLimitCoins: 100 },
    });
    const { battle } = await check('post', '/v1/battles', '/v1/battles', {
      token: creator.token,
      body: { streamId: stream.id, opponentStreamId: other.id, durationSec: 30 },
    });
    await check('post', `/v1/battles/${battle.id}/accept`, '/v1/battles/:id/accept', { token: rival.token });
    await check('get', `/v1/battles/${battle.id}`, '/v1/battles/:id');
    await check('get', `/v1/streams/${stream.id}/leaderboard`, '/v1/streams/:id/leaderboard');
    await check('get', `/v1/creators/${creator.user.id}/leaderboard?period=week`, '/v1/creators/:id/leaderboard');
    await check('get', '/v1/payouts', '/v1/payouts', { token: creator.token });
    await check('post', '/v1/payouts', '/v1/payouts', {
      token: creator.token,
      headers: { 'idempotency-key': randomUUID() },
      body: { diamonds: 5000 },
    });
    await check('post', '/v1/overlay-key', '/v1/overlay-key', { token: creator.token });
    await check('patch', `/v1/admin/users/${viewer.user.id}`, '/v1/admin/users/:id', {
      token: admin,
      body: { followers: 3 },
    });
    await check('post', `/v1/admin/users/${randomUUID()}/token`, '/v1/admin/users/:id/token', { token: admin });
    await check('post', `/v1/streams/${stream.id}/end`, '/v1/streams/:id/end', { token: creator.token });
    await check('get', '/v1/admin/queues', '/v1/admin/queues', { token: admin });
    await check('get', '/v1/admin/queues', '/v1/admin/queues');
    await check('post', '/v1/admin/queues/nope/retry-failed', '/v1/admin/queues/:queue/retry-failed', {
      token: admin,
    });
    await check('get', '/health', '/health');
    await check('get', '/health/live', '/health/live');
    await check('get', '/health/ready', '/health/ready');
    expect(checked.length).toBeGreaterThanOrEqual(25);
  });
});
