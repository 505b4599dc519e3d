import { SignJWT } from 'jose';
import type { Express } from 'express';
import type { Deps } from '../../../shared/domain/deps';

/**
 * The classes of hostile input of issue #16, as values the hostile-input suite sends. Each REST value is the raw
 * JSON text put in place of one field (so `1e999`, `NaN` and 2^63 reach the server as written); each Socket.io value
 * is what a client can emit (the transport's JSON turns Infinity and NaN into null).
 */
export const FIVE_KB = 'x'.repeat(5 * 1024);

/** In place of an integer amount, count or duration. */
export const AMOUNTS_RAW: Record<string, string> = {
  zero: '0',
  minusOne: '-1',
  fraction: '1.5',
  string: '"1"',
  '1e999': '1e999',
  '1e3': '1e3',
  NaN: 'NaN',
  '2^53+1': '9007199254740993',
  '2^63': '9223372036854775808',
  fiveKbString: JSON.stringify(FIVE_KB),
  null: 'null',
  object: '{"valueOf":5}',
};
export const AMOUNTS_EMIT: Record<string, unknown> = {
  zero: 0,
  minusOne: -1,
  fraction: 1.5,
  string: '1',
  '1e999': Number.POSITIVE_INFINITY,
  NaN: Number.NaN,
  '2^53+1': 2 ** 53 + 1,
  '2^63': 2 ** 63,
  fiveKbString: FIVE_KB,
  object: { valueOf: 5 },
};

const UUID_SHAPE = '2f1c9a4e-8b7d-4c3a-9e1f-5a6b7c8d9e0f';
/** In place of a UUID: none of these may be taken for a real id. */
export const IDS: Record<string, string> = {
  notAUuid: 'not-a-uuid',
  withNul: `${UUID_SHAPE.slice(0, 8)}\u0000${UUID_SHAPE.slice(9)}`,
  zeroWidth: `${UUID_SHAPE.slice(0, 10)}\u200B${UUID_SHAPE.slice(10)}`,
  fullwidthDigits: UUID_SHAPE.replace(/[0-9]/g, (d) => String.fromCharCode(0xff10 + Number(d))),
  cyrillicLookAlike: UUID_SHAPE.replace(/a/g, '\u0430').replace(/e/g, '\u0435'),
  fiveKb: FIVE_KB,
  proto: '__proto__',
  constructor: 'constructor',
};

/** In place of a catalog slug (`rose`, `coins-70`). */
export const SLUGS: Record<string, string> = {
  greekLookAlike: 'r\u03bfse',
  zeroWidth: 'ro\u200Bse',
  withNul: 'rose\u0000',
  upperCase: 'ROSE',
  fiveKb: FIVE_KB,
  proto: '__proto__',
};

/** In place of a display name: the contract refuses each of these. */
export const NAMES: Record<string, string> = {
  nul: 'Ann\u0000',
  rightToLeftOverride: 'Ann\u202Eevil',
  isolate: '\u2066Ann\u2069',
  controlInside: 'An\u0007n',
  fiveKb: FIVE_KB,
  empty: '   ',
};

/** Structure of a whole REST body, as raw text. `valid` is the route's valid body. */
export function hostileBodies(valid: Record<string, unknown>): Record<string, string> {
  const deep = (n: number) => `${'['.repeat(n)}${']'.repeat(n)}`;
  const text = JSON.stringify(valid);
  const firstKey = Object.keys(valid)[0];
  return {
    protoCarriesTheFields: `{"__proto__":${text}}`,
    constructorCarriesTheFields: `{"constructor":{"prototype":${text}}}`,
    ...(firstKey
      ? {
          protoBesideTheFields: `${text.slice(0, -1)},"__proto__":{"isAdmin":true}}`,
          duplicateKey: `${text.slice(0, -1)},${JSON.stringify(firstKey)}:${JSON.stringify(valid[firstKey])}}`,
        }
      : {}),
    deeplyNested: `{"x":${deep(40)}}`,
    huge: `{"x":${JSON.stringify('y'.repeat(20 * 1024))}}`,
    garbage: '{{{',
    truncated: text.slice(0, -1),
    notAnObject: '"a string"',
    nan: 'NaN',
  };
}

/** Tokens that must all be UNAUTHORIZED (the user exists; only the token is wrong). */
export async function hostileTokens(deps: Deps, userId: string): Promise<Record<string, string>> {
  const now = Math.floor(Date.now() / 1000);
  const secret = new TextEncoder().encode(deps.config.jwtSecret);
  const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const claims = { sub: userId, iss: 'giftwire', aud: 'giftwire' };
  const signed = (over: Record<string, unknown>, exp: number, key = secret) =>
    new SignJWT({ ...claims, ...over })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setExpirationTime(exp)
      .sign(key);
  return {
    garbage: 'not.a.jwt',
    empty: '.',
    expired: await signed({}, now - 60),
    algNone: `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ ...claims, exp: now + 600 })}.`,
    wrongAudience: await signed({ aud: 'someone-else' }, now + 600),
    wrongIssuer: await signed({ iss: 'evil' }, now + 600),
    forgedSignature: await signed({}, now + 600, new TextEncoder().encode('not-the-server-secret-0123456789')),
    fiveKb: FIVE_KB,
  };
}

/** `METHOD /path` of every route the express app has registered, at run time. */
export function registeredRoutes(app: Express): string[] {
  type Layer = { route?: { path: string; methods: Record<string, boolean> }; handle?: { stack?: Layer[] } };
  const out = new Set<string>();
  const visit = (stack: Layer[]) => {
    for (const layer of stack) {
      if (layer.route) {
        for (const m of Object.keys(layer.route.methods)) out.add(`${m.toUpperCase()} ${layer.route.path}`);
      } else if (layer.handle?.stack) visit(layer.handle.stack);
    }
  };
  visit((app as unknown as { router: { stack: Layer[] } }).router.stack);
  return [...out].sort();
}

/**
 * Everything Giftwire keeps under the test's prefix, but what changes on its own or on any request (rate-limit
 * counters, presence and heartbeats, push gates, queues, the readiness probe): two equal snapshots mean that nothing
 * moved.
 */
export async function stateSnapshot(deps: Deps): Promise<Record<string, unknown>> {
  const r = deps.redis;
  const keys: string[] = [];
  let cursor = '0';
  do {
    // the prefix is unique to this test file; it sits inside or before the keys' hash tag depending on the layout
    const [next, batch] = await r.scan(cursor, 'MATCH', `*${deps.keys.prefix}*`, 'COUNT', 1000);
    cursor = next;
    keys.push(...batch);
  } while (cursor !== '0');
  const volatile = /[:{](rl|viewers|processes|pushgate|bull|socket\.io|health)([:}]|$)/;
  const out: Record<string, unknown> = {};
  for (const key of keys.filter((k) => !volatile.test(k)).sort()) {
    const type = await r.type(key);
    if (type === 'string') out[key] = await r.get(key);
    else if (type === 'hash') out[key] = await r.hgetall(key);
    else if (type === 'set') out[key] = (await r.smembers(key)).sort();
    else if (type === 'zset') out[key] = await r.zrange(key, 0, -1, 'WITHSCORES');
    else if (type === 'list') out[key] = await r.lrange(key, 0, -1);
    else out[key] = type;
  }
  return out;
}
