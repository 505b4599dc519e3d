import { fork } from 'node:child_process';
import path from 'node:path';
import { Fleet } from '../fleet';
import { procStat } from '../probes';
import { summarize } from '../stats';
import { Timeline } from '../timeline';

/**
 * Raw ceiling of the transport: a bare Socket.IO server broadcasting Giftwire-shaped `gifts` frames to the same
 * number of watchers (the same wire-level watchers the simulator uses, in child processes). Frame rate doubles
 * step by step from Giftwire's tick rate until the watchers stop receiving every frame or gift-to-screen p99
 * passes a second; the last step that kept up is the ceiling.
 */
export interface BroadcastOptions {
  watchers: number;
  /** Items per frame (Giftwire's frame limit is 50) and gifts folded into `rest`. */
  items: number;
  restGifts: number;
  startFps: number;
  maxFps: number;
  stepSec: number;
  agents: number;
  parsePercent: number;
  say(line: string): void;
}

export interface BroadcastCeiling {
  watchers: number;
  itemsPerFrame: number;
  steps: BroadcastStep[];
  /** The highest frame rate every watcher kept up with (>= 95% delivered, gift-to-screen p99 < 1 s). */
  ceiling: { framesPerSec: number; deliveriesPerSec: number; mibPerSec: number } | null;
  /** The most that was delivered in any step, kept up or not. */
  maxDelivered: { deliveriesPerSec: number; mibPerSec: number };
}

export interface BroadcastStep {
  framesPerSec: number;
  deliveredPerWatcherPerSec: number;
  deliveredRatio: number;
  bytesPerWatcherPerSec: number;
  screenP50Ms: number;
  screenP99Ms: number;
  serverCpuPercent: number;
  /** CPU of the watchers' processes (the load generator), 100 = one core. */
  watchersCpuPercent: number;
  keptUp: boolean;
}

export async function broadcastCeiling(o: BroadcastOptions): Promise<BroadcastCeiling> {
  const { watchers, items, stepSec, agents } = o;
  const server = fork(path.join(__dirname, '..', '..', 'bench', 'bare-server.ts'), [], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const port = await new Promise<number>((resolve) => server.once('message', (m: { port: number }) => resolve(m.port)));
  const url = `http://127.0.0.1:${port}`;
  const timeline = new Timeline();
  const fleet = new Fleet((agent, iv) => timeline.add(agent, iv));
  const parseShare = o.parsePercent / 100;
  const specs = Array.from({ length: watchers }, (_, i) => ({
    streamId: 'bench',
    parse: i < Math.max(10, Math.ceil(watchers * parseShare)),
  }));
  const steps: BroadcastStep[] = [];
  try {
    await fleet.start(
      url,
      { watchers: specs, senders: [], creators: [], schedule: { rate: 0, rampUpSec: 0, durationSec: 0 }, mix: [] },
      { agents, connectRate: 1000, lateMs: 20, seed: 1 },
    );
    const c = await fleet.connect();
    o.say(`${c.watchers} watchers connected to a bare Socket.IO server (${c.failed} failed)`);
    const t0 = Date.now() + 200;
    fleet.begin(t0);
    // Up by doublings while the watchers keep up; if even the first step does not, down by halvings until one does
    // (pausing between steps so the backlog of a failed step does not spill into the next).
    let direction = 0;
    for (let fps = o.startFps; fps <= o.maxFps && fps >= o.startFps / 16; fps = direction >= 0 ? fps * 2 : fps / 2) {
      server.send({ type: 'rate', framesPerSec: fps, items, restGifts: o.restGifts });
      // One second to settle, then measure whole seconds.
      const from = Math.ceil((Date.now() - t0) / 1000) + 1;
      const agentsCpu = () => fleet.pids.reduce((a, pid) => a + (procStat(pid)?.cpuSec ?? 0), 0);
      const cpu0 = procStat(server.pid!);
      const agents0 = agentsCpu();
      const cpuAt = Date.now();
      await new Promise((r) => setTimeout(r, (stepSec + 1.5) * 1000));
      const cpu1 = procStat(server.pid!);
      const elapsedSec = (Date.now() - cpuAt) / 1000;
      const secs = timeline.all().filter((s) => s.sec >= from && s.sec < from + stepSec);
      const perWatcher = secs.length
        ? secs.reduce((a, s) => a + (s.watchers ? s.frames / s.watchers : 0), 0) / secs.length
        : 0;
      const bytes = secs.length
        ? secs.reduce((a, s) => a + (s.watchers ? s.bytes / s.watchers : 0), 0) / secs.length
        : 0;
      const screen = summarize(timeline.collect('screenMs', from, from + stepSec));
      const step: BroadcastStep = {
        framesPerSec: fps,
        deliveredPerWatcherPerSec: perWatcher,
        deliveredRatio: perWatcher / fps,
        bytesPerWatcherPerSec: bytes,
        screenP50Ms: screen.p50,
        screenP99Ms: screen.p99,
        serverCpuPercent: cpu0 && cpu1 ? ((cpu1.cpuSec - cpu0.cpuSec) / elapsedSec) * 100 : 0,
        watchersCpuPercent: ((agentsCpu() - agents0) / elapsedSec) * 100,
        keptUp: perWatcher / fps >= 0.95 && screen.p99 < 1000,
      };
      steps.push(step);
      o.say(
        `${fps} frames/s: ${perWatcher.toFixed(1)} delivered per watcher/s (${(step.deliveredRatio * 100).toFixed(0)}%), ` +
          `${((bytes * watchers) / 2 ** 20).toFixed(1)} MiB/s in all, screen p50 ${screen.p50.toFixed(0)} p99 ${screen.p99.toFixed(0)} ms, server cpu ${step.serverCpuPercent.toFixed(0)}%, watchers cpu ${step.watchersCpuPercent.toFixed(0)}%`,
      );
      if (direction === 0) direction = step.keptUp ? 1 : -1;
      if (direction > 0 && !step.keptUp) break;
      if (direction < 0 && step.keptUp) break;
      if (direction < 0) {
        server.send({ type: 'rate', framesPerSec: 0, items, restGifts: 0 });
        await new Promise((r) => setTimeout(r, 5000));
      }
    }
  } finally {
    server.send({ type: 'rate', framesPerSec: 0, items, restGifts: 0 });
    await fleet.close();
    await new Promise<void>((resolve) => {
      server.once('exit', () => resolve());
      server.send({ type: 'stop' });
      setTimeout(() => server.kill('SIGKILL'), 5000).unref();
    });
  }
  const best = [...steps].reverse().find((s) => s.keptUp);
  return {
    watchers,
    itemsPerFrame: items,
    steps,
    ceiling: best
      ? {
          framesPerSec: best.framesPerSec,
          deliveriesPerSec: best.framesPerSec * watchers,
          mibPerSec: (best.bytesPerWatcherPerSec * watchers) / 2 ** 20,
        }
      : null,
    maxDelivered: {
      deliveriesPerSec: Math.max(0, ...steps.map((s) => s.deliveredPerWatcherPerSec * watchers)),
      mibPerSec: Math.max(0, ...steps.map((s) => (s.bytesPerWatcherPerSec * watchers) / 2 ** 20)),
    },
  };
}
