import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { loadConfig, type Ratio } from '../shared/config';
import { connect, type RedisConnection, type RedisTarget } from '../shared/redis/client';
import { createKeys } from '../shared/redis/keys';
import { Api } from './lib/api';
import { checkPasses, runChecks } from './lib/checks';
import { Fleet } from './lib/fleet';
import { mergeFinals } from './lib/ledger';
import { redisErrorsCheck, startLocalGiftwire, type LocalGiftwire } from './lib/local-giftwire';
import { HELP, parseOptions, type Options } from './lib/options';
import { describeSplit, masterLoadSince, snapshotMasters, type MasterLoad } from './lib/masters';
import { Probes } from './lib/probes';
import { reconcileCheck } from './lib/reconcile';
import { renderHtml } from './lib/report-html';
import { progressLine, summaryTable } from './lib/report-text';
import { commandLine, machineInfo, type Ceilings, type RunResult } from './lib/result';
import { redisGiftCeiling } from './lib/ceilings/redis-gift';
import { broadcastCeiling } from './lib/ceilings/broadcast';
import { endSec } from './lib/schedule';
import { setUp } from './lib/setup';
import { waitForSettlement, type SettlementResult } from './lib/settlement';
import { logHistogram, summarize } from './lib/stats';
import { evaluateTargets, summarizeRun, type RunSummary } from './lib/summary';
import { Timeline } from './lib/timeline';

/**
 * `npm run load -- [scenario] [options]`: the gift-war simulator. Sets up users, streams and a battle through the
 * public API, drives watchers and senders from child processes by the clock, measures, then waits for
 * settlement and proves that no coin was lost. Exit code: 0 all checks passed, 1 a check failed, 2 the run
 * could not be carried out.
 */
const tty = process.stdout.isTTY === true;

async function main(argv: string[]): Promise<number> {
  const parsed = parseOptions(argv);
  if (parsed === 'help') {
    process.stdout.write(HELP);
    return 0;
  }
  const opts: Options = parsed;
  mkdirSync(opts.outDir, { recursive: true });
  const warnings: string[] = [];
  const say = (line: string) => {
    if (tty) process.stdout.write('\r\x1b[K');
    console.log(`[load] ${line}`);
  };
  const warn = (line: string) => {
    warnings.push(line);
    say(`warning: ${line}`);
  };
  let lastPrint = 0;
  const progress = (line: string) => {
    if (opts.quiet) return;
    if (tty) process.stdout.write(`\r\x1b[K${line.slice(0, (process.stdout.columns ?? 200) - 1)}`);
    else if (Date.now() - lastPrint >= 5000) {
      lastPrint = Date.now();
      console.log(line);
    }
  };

  const startedAt = new Date().toISOString();
  let local: LocalGiftwire | undefined;
  let tornDown = false;
  let redis: RedisConnection | undefined;
  let fleet: Fleet | undefined;
  let probes: Probes | undefined;
  const teardown = async () => {
    if (tornDown) return;
    tornDown = true;
    probes?.stop();
    await fleet?.close();
    if (redis) await redis.quit().catch(() => redis!.disconnect());
    await local?.stop();
  };
  const interrupt = () => {
    say('interrupted: tearing down');
    void teardown().finally(() => process.exit(130));
  };
  process.once('SIGINT', interrupt);
  process.once('SIGTERM', interrupt);

  try {
    if (!opts.url) {
      const redisKind = opts.cluster ? 'a Redis Cluster of three masters' : 'redis-server';
      say(`starting a local Giftwire (${redisKind}, server, workers); logs in ${opts.outDir}`);
      local = await startLocalGiftwire({
        logDir: opts.outDir,
        serverEnv: opts.serverEnv,
        serverNodeArgs: opts.serverNodeArgs,
        workersNodeArgs: opts.workersNodeArgs,
        onUnexpectedExit: warn,
        redisUrl: opts.redisUrl,
        redisClusterNodes: opts.redisClusterNodes,
        cluster: opts.cluster,
        keyPrefix: opts.keyPrefix,
      });
    }
    const url = local?.url ?? opts.url!;
    const adminToken = local?.adminToken ?? opts.adminToken;
    if (!adminToken) throw new Error('--url needs the operator token: --admin-token or $ADMIN_TOKEN');
    const redisTarget: Exclude<RedisTarget, string> | undefined =
      local?.redis ??
      (opts.redisUrl || opts.redisClusterNodes
        ? loadConfig({ REDIS_URL: opts.redisUrl, REDIS_CLUSTER_NODES: opts.redisClusterNodes })
        : undefined);
    const keyPrefix = local?.keyPrefix ?? opts.keyPrefix;
    const diamondRate: Ratio = loadConfig({
      ...process.env,
      ...(local?.env ?? {}),
      NODE_ENV: 'development',
    }).diamondRate;
    if (!redisTarget) warn('no --redis-url: settlement lag, Redis memory and the reconciliation are not measured');
    const api = new Api(url, adminToken);
    const keys = createKeys(keyPrefix);
    // auto-pipelined: the settlement poll's reads go out in one batch per master
    redis = redisTarget ? connect(redisTarget, { maxRetriesPerRequest: 2, enableAutoPipelining: true }) : undefined;

    const timeline = new Timeline();
    fleet = new Fleet((agent, iv) => timeline.add(agent, iv));
    const activeFleet = fleet;
    let t0 = 0;
    const pids = () => ({
      ...(local ? { server: [local.pids.server], workers: [local.pids.workers], redis: local.pids.redis } : {}),
      'load generator': [process.pid, ...activeFleet.pids],
    });
    probes = new Probes(api, redis, keys, pids, warn);
    probes.start(() => t0);

    const setupStarted = Date.now();
    const plan = await setUp(api, opts, say);
    const perSender = opts.senders > 0 ? opts.rate / opts.senders : 0;
    if (perSender > 20 && !opts.serverEnv.GIFT_RATE_PER_SEC) {
      warn(
        `${perSender.toFixed(1)} gifts/s per sender is above the default per-user limit (20/s): expect RATE_LIMITED; add senders or --server-env GIFT_RATE_PER_SEC=...`,
      );
    }
    await fleet.start(url, plan, opts);
    say(
      `connecting ${plan.watchers.length} watchers, ${plan.senders.length} senders, ${plan.creators.length} creator sockets over ${opts.agents} processes`,
    );
    const connectTimer = setInterval(() => {
      const c = timeline.connected();
      progress(
        progressLine(
          'connect',
          undefined,
          probes!.latest(),
          `watchers ${c.watchers}/${plan.watchers.length}  senders ${c.senders}/${plan.senders.length}`,
        ),
      );
    }, 500);
    const connected = await fleet.connect().finally(() => clearInterval(connectTimer));
    const setupSec = (Date.now() - setupStarted) / 1000;
    say(
      `connected ${connected.watchers} watchers, ${connected.senders} senders, ${connected.creators} creators (${connected.failed} failed) in ${setupSec.toFixed(1)} s`,
    );
    for (const e of connected.errors) warn(e);

    const mastersBefore: MasterLoad[] | undefined = redis ? await snapshotMasters(redis) : undefined;
    t0 = Date.now() + 500;
    fleet.begin(t0);
    const runMs = endSec(plan.schedule) * 1000;
    await new Promise<void>((resolve) => {
      const timer = setInterval(() => {
        const elapsed = Date.now() - t0;
        const phase = opts.idle ? 'idle' : elapsed < opts.rampUpSec * 1000 ? 'ramp-up' : 'steady';
        progress(progressLine(phase, timeline.lastComplete(opts.agents), probes!.latest()));
        if (elapsed >= runMs + 1000) {
          clearInterval(timer);
          resolve();
        }
      }, 250);
    });
    say('stopping: waiting for the last acknowledgements');
    const untilIdle = async () => {
      say(
        'some gifts are still unanswered: waiting for the server to work through its backlog, then asking again with the same keys',
      );
      await waitUntilIdle(
        api,
        plan.streams.map((s) => s.id),
        (line) => progress(progressLine('backlog', undefined, probes!.latest(), line)),
      );
    };
    const ledger = mergeFinals(await fleet.stop(10_000, untilIdle));

    let settlement: SettlementResult | null = null;
    if (redis && ledger.ids.length > 0) {
      settlement = await waitForSettlement(redis, keys, ledger, opts.settleTimeoutSec * 1000, (settled, total) =>
        progress(progressLine('settling', undefined, probes!.latest(), `settled ${settled}/${total}`)),
      );
    }
    if (tty && !opts.quiet) process.stdout.write('\n');
    const redisMasters =
      redis && mastersBefore ? masterLoadSince(mastersBefore, await snapshotMasters(redis)) : undefined;
    for (const line of describeSplit(redisMasters ?? [], ledger.ids.length)) say(line);
    say('checking: wallets, streams, battle, creator sockets, reconciliation');
    const checks = await runChecks({ api, plan, ledger, settlement, diamondRate });
    if (redisTarget) checks.push(await reconcileCheck({ redis: redisTarget, keyPrefix, env: local?.env }));
    if (local) checks.push(redisErrorsCheck(opts.outDir));
    probes.stop();

    const summary = summarizeRun(opts, plan, t0, timeline, probes.samples, ledger, settlement);
    const targets = evaluateTargets(summary, opts);
    const { fromSec, toSec } = summary.window;
    const settlementBySecond = settlement ? lagBySecond(ledger.at, settlement.lagMs, t0) : [];
    const { adminToken: _omit, ...shownOptions } = opts;
    const result: RunResult = {
      version: 1,
      ok: checks.every(checkPasses),
      scenario: opts.scenario,
      command: commandLine(argv),
      startedAt,
      machine: machineInfo(),
      target: { url, local: !!local },
      options: shownOptions,
      setup: {
        streams: plan.streams.length,
        senders: plan.senders.length,
        watchers: plan.watchers.length,
        parsingWatchers: plan.watchers.filter((w) => w.parse).length,
        battle: plan.battle?.id ?? null,
        battleNote: plan.battleNote,
        connectFailures: connected.failed,
        connectErrors: connected.errors,
        setupSec,
      },
      summary,
      targets,
      checks,
      timeline: timeline.rows(),
      settlementBySecond,
      probes: probes.samples,
      histograms: {
        ack: logHistogram(timeline.collect('ackMs', fromSec, toSec)),
        screen: logHistogram(timeline.collect('screenMs', fromSec, toSec)),
        creatorScreen: logHistogram(timeline.collect('creatorScreenMs', fromSec, toSec)),
        settlement: settlement ? logHistogram(settlement.lagMs.filter((x) => !Number.isNaN(x))) : undefined,
      },
      warnings,
      redisMasters,
    };
    await teardown();
    if (opts.ceilings) {
      say('measuring the raw ceilings on this machine: redis-benchmark of the gift script, bare Socket.IO broadcast');
      result.ceilings = await measureCeilings(opts, summary, say);
    }
    writeFileSync(path.join(opts.outDir, 'result.json'), JSON.stringify(result, null, 1));
    writeFileSync(path.join(opts.outDir, 'report.html'), renderHtml(result));
    console.log(summaryTable(summary, targets, checks, result.ceilings));
    console.log(
      `\n${result.ok ? 'PASS' : 'FAIL'}  result: ${path.join(opts.outDir, 'result.json')}  report: ${path.join(opts.outDir, 'report.html')}`,
    );
    return result.ok ? 0 : 1;
  } finally {
    await teardown();
  }
}

/** The raw ceilings, sized like the run: the gift script alone in Redis, and the same frames to as many watchers. */
async function measureCeilings(opts: Options, summary: RunSummary, say: (line: string) => void): Promise<Ceilings> {
  const redisGift = await redisGiftCeiling({ senders: opts.senders || 600 });
  const broadcast = await broadcastCeiling({
    watchers: Math.max(1, summary.hotRoomWatchers || opts.watchers),
    items: Math.max(1, Math.round(summary.itemsPerFrame) || 50),
    restGifts: summary.foldedAwayPerSec > 0 ? 450 : 0,
    startFps: 20,
    maxFps: 1280,
    stepSec: 4,
    agents: opts.agents,
    parsePercent: opts.parsePercent,
    say: (line) => say(`broadcast: ${line}`),
  });
  return { redisGift, broadcast };
}

/** Waits until the streams' totals stop moving for 5 s: the server has worked through what it had queued. */
async function waitUntilIdle(
  api: Api,
  streamIds: string[],
  onProgress: (line: string) => void,
  capMs = 600_000,
): Promise<void> {
  const deadline = Date.now() + capMs;
  let last = '';
  let stableSince = Date.now();
  while (Date.now() < deadline) {
    const totals = await Promise.all(
      streamIds.map((id) =>
        api
          .getStream(id)
          .then((v) => v.totalCoins)
          .catch(() => -1),
      ),
    );
    const now = totals.join(',');
    if (now !== last) {
      last = now;
      stableSince = Date.now();
    }
    onProgress(
      `stream totals ${totals.map((t) => t.toLocaleString('en-US')).join(' / ')}, unchanged for ${((Date.now() - stableSince) / 1000).toFixed(0)} s`,
    );
    if (Date.now() - stableSince >= 5000) return;
    await new Promise((r) => setTimeout(r, 1000));
  }
}

/** Settlement lag p50/p99 of the gifts accepted in each second of the run. */
function lagBySecond(at: number[], lagMs: Float64Array, t0: number) {
  const bySec = new Map<number, number[]>();
  for (let i = 0; i < at.length; i++) {
    if (Number.isNaN(lagMs[i]!)) continue;
    const sec = Math.floor((at[i]! - t0) / 1000);
    const list = bySec.get(sec) ?? [];
    list.push(lagMs[i]!);
    bySec.set(sec, list);
  }
  return [...bySec.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([sec, xs]) => {
      const s = summarize(xs);
      return { sec, count: s.count, p50: s.p50, p99: s.p99 };
    });
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: Error) => {
    console.error(`\n[load] ${err.stack ?? err.message}`);
    process.exit(2);
  },
);
