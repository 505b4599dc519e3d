import { parseArgs } from 'node:util';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../shared/config';

/** Command line of `npm run load -- <options>`; every option has a scenario default (see SCENARIOS). */

export type ScenarioName = 'steady' | 'war' | 'rooms';

export interface MixEntry {
  giftId: string;
  weight: number;
}

export interface Options {
  scenario: ScenarioName;
  watchers: number;
  senders: number;
  rooms: number;
  /** Gifts per second offered at full rate (after the ramp-up). */
  rate: number;
  mix: MixEntry[];
  /** Seconds at full rate. */
  durationSec: number;
  /** Seconds over which the gift rate climbs linearly from 0 to `rate` (watchers connect before it). */
  rampUpSec: number;
  /** Share of the gifts sent to the opponent stream in a war (the rest go to the hot room). */
  opponentShare: number;
  /** Watchers (per 100) that parse every frame and time gift-to-screen; the others count frames and bytes only. */
  parsePercent: number;
  /** Watchers connected per second while setting up. */
  connectRate: number;
  /** Load-generator child processes. */
  agents: number;
  /** A gift sent later than this after its due time counts as late. */
  lateMs: number;
  /** An existing Giftwire; unset = start a local one (redis-server, server, workers) for the run. */
  url: string | undefined;
  /** Redis of that Giftwire (settlement, reconciliation, memory); required with --url for the money checks. */
  redisUrl: string | undefined;
  /** Or its Redis Cluster, `host:port,...` (REDIS_CLUSTER_NODES); wins over redisUrl. */
  redisClusterNodes: string | undefined;
  /** The local Giftwire runs on a Redis Cluster of three local masters instead of one redis-server. */
  cluster: boolean;
  keyPrefix: string;
  adminToken: string | undefined;
  /** Extra environment for the local Giftwire, e.g. GIFT_RATE_PER_SEC=100. */
  serverEnv: Record<string, string>;
  /** Extra node flags for the local server process, e.g. --cpu-prof (not allowed in NODE_OPTIONS). */
  serverNodeArgs: string[];
  workersNodeArgs: string[];
  outDir: string;
  settleTimeoutSec: number;
  seed: number;
  quiet: boolean;
  /** Connect the watchers and hold them idle: no senders, no gifts (memory of idle connections). */
  idle: boolean;
  /** After the run, measure the raw ceilings: redis-benchmark of the gift script, a bare Socket.IO broadcast. */
  ceilings: boolean;
}

export const SCENARIOS: Record<ScenarioName, Partial<Options> & { summary: string }> = {
  steady: {
    summary: 'one stream, a steady rate of gifts, a few hundred watchers',
    watchers: 200,
    senders: 50,
    rooms: 1,
    rate: 200,
    durationSec: 30,
    rampUpSec: 3,
  },
  war: {
    summary: 'one hot room (thousands of watchers, hundreds of senders) in a battle with a second stream',
    watchers: 2000,
    senders: 600,
    rooms: 2,
    rate: 10_000,
    durationSec: 30,
    rampUpSec: 5,
  },
  rooms: {
    summary: 'many small rooms, each with its own creator, watchers and senders',
    watchers: 1000,
    senders: 200,
    rooms: 50,
    rate: 1000,
    durationSec: 30,
    rampUpSec: 3,
  },
};

export const HELP = `Giftwire gift-war simulator

  npm run load -- [scenario] [options]

Scenarios:
${Object.entries(SCENARIOS)
  .map(([n, s]) => `  ${n.padEnd(8)}${s.summary}`)
  .join('\n')}

Options (defaults depend on the scenario):
  --scenario NAME       steady | war | rooms (or the first bare argument)
  --watchers N          watchers in total (anonymous sockets that join rooms)
  --senders N           gift senders (users with coins)
  --rooms N             rooms (streams); war always uses 2 (the hot room and its opponent)
  --rate N              gifts per second offered at full rate
  --mix SPEC            gift mix, e.g. rose:90,galaxy:9,universe:1 (default)
  --duration SEC        seconds at full rate
  --ramp-up SEC         seconds for the gift rate to climb from 0 to --rate
  --opponent-share F    war: share of gifts to the opponent stream (default 0.1)
  --parse-percent P     % of watchers that parse frames and time gift-to-screen (default 2, at least 10 watchers)
  --connect-rate N      watchers connected per second during setup (default 1000)
  --agents N            load-generator child processes (default: cores, at least 2)
  --late-ms MS          a send later than this after its due time counts as late (default 20)
  --url URL             an existing Giftwire; default: start a local one for the run
  --redis-url URL       Redis of the Giftwire under test (default: the local one); needed for the money checks
  --redis-cluster LIST  or its Redis Cluster, host:port,host:port,... (as REDIS_CLUSTER_NODES)
  --cluster             the local Giftwire runs on a local Redis Cluster of three masters (one redis-server
                        each); the report adds how the load split over the masters
  --key-prefix P        KEY_PREFIX of that Giftwire (default gw)
  --admin-token T       ADMIN_TOKEN of that Giftwire (default: $ADMIN_TOKEN, or generated for a local one)
  --server-env K=V      extra environment for the local Giftwire (repeatable), e.g. GIFT_RATE_PER_SEC=100
  --server-node-args A  node flags for the local server, e.g. --server-node-args='--cpu-prof --cpu-prof-dir=prof'
  --workers-node-args A node flags for the local workers, likewise
  --settle-timeout SEC  how long to wait for settlement after the run (default 120)
  --ceilings            after the run, measure the raw ceilings sized like it (redis-benchmark of the gift
                        script, a bare Socket.IO server broadcasting the same frames to as many watchers)
  --idle                connect the watchers and hold them (no gifts): memory of idle connections
  --out DIR             where result.json and report.html go (default load-tests/results/<scenario>-<time>)
  --seed N              random seed of the gift mix (default 1)
  --quiet               no live progress line
  --help
`;

/** Checked as Giftwire checks REDIS_CLUSTER_NODES (the same schema). */
function clusterNodes(list: string | undefined): string | undefined {
  if (list === undefined) return undefined;
  try {
    loadConfig({ REDIS_CLUSTER_NODES: list });
  } catch {
    throw new Error(`--redis-cluster: expected host:port,host:port,..., got "${list}"`);
  }
  return list;
}

export const DEFAULT_MIX = 'rose:90,galaxy:9,universe:1';

export function parseMix(spec: string): MixEntry[] {
  const entries = spec.split(',').map((part) => {
    const m = /^\s*([a-z0-9-]+)\s*(?::\s*(\d+(?:\.\d+)?))?\s*$/.exec(part);
    if (!m) throw new Error(`--mix: cannot read "${part}" (expected giftId:weight)`);
    return { giftId: m[1]!, weight: m[2] === undefined ? 1 : Number(m[2]) };
  });
  if (entries.every((e) => e.weight <= 0)) throw new Error('--mix: at least one weight must be positive');
  return entries.filter((e) => e.weight > 0);
}

function num(name: string, v: string | undefined, def: number, min = 0): number {
  if (v === undefined) return def;
  const n = Number(v);
  if (!Number.isFinite(n) || n < min) throw new Error(`--${name}: expected a number >= ${min}, got "${v}"`);
  return n;
}

export function parseOptions(argv: string[]): Options | 'help' {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      scenario: { type: 'string' },
      watchers: { type: 'string' },
      senders: { type: 'string' },
      rooms: { type: 'string' },
      rate: { type: 'string' },
      mix: { type: 'string' },
      duration: { type: 'string' },
      'ramp-up': { type: 'string' },
      'opponent-share': { type: 'string' },
      'parse-percent': { type: 'string' },
      'connect-rate': { type: 'string' },
      agents: { type: 'string' },
      'late-ms': { type: 'string' },
      url: { type: 'string' },
      'redis-url': { type: 'string' },
      'redis-cluster': { type: 'string' },
      cluster: { type: 'boolean' },
      'key-prefix': { type: 'string' },
      'admin-token': { type: 'string' },
      'server-env': { type: 'string', multiple: true },
      'server-node-args': { type: 'string' },
      'workers-node-args': { type: 'string' },
      'settle-timeout': { type: 'string' },
      out: { type: 'string' },
      seed: { type: 'string' },
      quiet: { type: 'boolean' },
      idle: { type: 'boolean' },
      ceilings: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return 'help';
  const scenario = (values.scenario ?? positionals[0] ?? 'steady') as ScenarioName;
  const base = SCENARIOS[scenario];
  if (!base) throw new Error(`unknown scenario "${scenario}" (steady, war or rooms)`);

  const serverEnv: Record<string, string> = {};
  for (const kv of values['server-env'] ?? []) {
    const i = kv.indexOf('=');
    if (i <= 0) throw new Error(`--server-env: expected KEY=VALUE, got "${kv}"`);
    serverEnv[kv.slice(0, i)] = kv.slice(i + 1);
  }
  const idle = values.idle ?? false;
  const rooms =
    scenario === 'war' ? 2 : scenario === 'steady' ? 1 : Math.floor(num('rooms', values.rooms, base.rooms!, 1));
  const stamp = new Date().toISOString().replace(/[:.]/g, '-').slice(0, 19);
  return {
    scenario,
    watchers: Math.floor(num('watchers', values.watchers, base.watchers!)),
    senders: idle ? 0 : Math.floor(num('senders', values.senders, base.senders!, 1)),
    rooms,
    rate: idle ? 0 : num('rate', values.rate, base.rate!),
    mix: parseMix(values.mix ?? DEFAULT_MIX),
    durationSec: num('duration', values.duration, base.durationSec!),
    rampUpSec: num('ramp-up', values['ramp-up'], base.rampUpSec!),
    opponentShare: Math.min(1, num('opponent-share', values['opponent-share'], 0.1)),
    parsePercent: Math.min(100, num('parse-percent', values['parse-percent'], 2)),
    connectRate: num('connect-rate', values['connect-rate'], 1000, 1),
    agents: Math.floor(num('agents', values.agents, Math.max(2, os.availableParallelism()), 1)),
    lateMs: num('late-ms', values['late-ms'], 20),
    url: values.url?.replace(/\/$/, ''),
    redisUrl: values['redis-url'],
    redisClusterNodes: clusterNodes(values['redis-cluster']),
    cluster: values.cluster ?? false,
    keyPrefix: values['key-prefix'] ?? 'gw',
    adminToken: values['admin-token'] ?? process.env.ADMIN_TOKEN,
    serverEnv,
    serverNodeArgs: (values['server-node-args'] ?? '').split(/\s+/).filter(Boolean),
    workersNodeArgs: (values['workers-node-args'] ?? '').split(/\s+/).filter(Boolean),
    outDir: path.resolve(values.out ?? path.join(__dirname, '..', 'results', `${scenario}-${stamp}`)),
    settleTimeoutSec: num('settle-timeout', values['settle-timeout'], 120),
    seed: Math.floor(num('seed', values.seed, 1)),
    quiet: values.quiet ?? false,
    idle,
    ceilings: values.ceilings ?? false,
  };
}
