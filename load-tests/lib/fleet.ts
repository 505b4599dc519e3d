import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { Plan } from './setup';

/** What the agents are dealt: the run's plan, or just watchers for a bench. */
export type FleetPlan = Pick<Plan, 'watchers' | 'senders' | 'creators' | 'schedule' | 'mix'>;
import type { AgentFinal, AgentInit, FromAgent, Interval, ToAgent } from './protocol';
import type { Options } from './options';

/**
 * The load-generator processes. Watchers, senders and creator sockets are dealt round-robin over `agents`
 * children (forked with IPC, advanced serialization), each with its share of the gift rate, so no single
 * event loop is the bottleneck of what it measures.
 */
export class Fleet {
  private readonly children: ChildProcess[] = [];
  private readonly waiters = new Map<ChildProcess, Array<(msg: FromAgent) => boolean>>();

  constructor(private readonly onInterval: (agent: number, interval: Interval) => void) {}

  get pids(): number[] {
    return this.children.map((c) => c.pid!);
  }

  async start(
    url: string,
    plan: FleetPlan,
    opts: Pick<Options, 'agents' | 'connectRate' | 'lateMs' | 'seed'>,
  ): Promise<void> {
    const n = Math.max(1, opts.agents);
    const inits: AgentInit[] = Array.from({ length: n }, (_, agent) => ({
      type: 'init',
      agent,
      url,
      watchers: plan.watchers.filter((_, i) => i % n === agent),
      senders: plan.senders
        .filter((_, i) => i % n === agent)
        .map(({ index, userId, token, streamId }) => ({ index, userId, token, streamId })),
      creators: plan.creators.filter((_, i) => i % n === agent),
      schedule: { ...plan.schedule, rate: 0 },
      mix: plan.mix.map(({ giftId, weight }) => ({ giftId, weight })),
      connectRate: opts.connectRate / n,
      lateMs: opts.lateMs,
      seed: opts.seed * 1000 + agent,
    }));
    const totalSenders = plan.senders.length;
    for (const init of inits) {
      init.schedule.rate = totalSenders > 0 ? (plan.schedule.rate * init.senders.length) / totalSenders : 0;
    }
    for (const init of inits) {
      const child = fork(path.join(__dirname, '..', 'agent', 'agent.ts'), [], {
        execArgv: ['--import', 'tsx'],
        serialization: 'advanced',
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      });
      this.children.push(child);
      this.waiters.set(child, []);
      child.on('message', (msg: FromAgent) => {
        if (msg.type === 'interval') return this.onInterval(init.agent, msg.interval);
        if (msg.type === 'error') console.error(`\n[agent ${init.agent}] ${msg.message}`);
        const ws = this.waiters.get(child)!;
        const i = ws.findIndex((w) => w(msg));
        if (i >= 0) ws.splice(i, 1);
      });
      child.on('exit', (code, signal) => {
        const ws = this.waiters.get(child)!;
        for (const w of ws.splice(0)) w({ type: 'error', message: `agent ${init.agent} exited (${signal ?? code})` });
      });
    }
    await Promise.all(this.children.map((c, i) => this.ask(c, inits[i]!, 'ready')));
  }

  /** Sends a message and waits for the reply of the given type (an agent error rejects). */
  private ask<T extends FromAgent['type']>(
    child: ChildProcess,
    msg: ToAgent,
    reply: T,
  ): Promise<Extract<FromAgent, { type: T }>> {
    return new Promise((resolve, reject) => {
      this.waiters.get(child)!.push((m) => {
        if (m.type === reply) {
          resolve(m as Extract<FromAgent, { type: T }>);
          return true;
        }
        if (m.type === 'error') {
          reject(new Error(m.message));
          return true;
        }
        return false;
      });
      child.send(msg);
    });
  }

  async connect(): Promise<{ watchers: number; senders: number; creators: number; failed: number; errors: string[] }> {
    const replies = await Promise.all(this.children.map((c) => this.ask(c, { type: 'connect' }, 'connected')));
    return {
      watchers: replies.reduce((s, r) => s + r.watchers, 0),
      senders: replies.reduce((s, r) => s + r.senders, 0),
      creators: replies.reduce((s, r) => s + r.creators, 0),
      failed: replies.reduce((s, r) => s + r.failed, 0),
      errors: replies.flatMap((r) => r.errors),
    };
  }

  begin(t0: number): void {
    for (const c of this.children) c.send({ type: 'start', t0 } satisfies ToAgent);
  }

  /**
   * Stops the clocks and waits for the acknowledgements; if some never came, waits for the server to go idle
   * (`untilIdle`), then has them sent again with their keys. Collects every acknowledged gift, then waits for the
   * creator sockets to receive the gifts acknowledged for their streams (frames trail acks on a busy server).
   */
  async stop(
    quietMs: number,
    untilIdle: () => Promise<void>,
    drain = { quietMs: 5000, timeoutMs: 120_000 },
  ): Promise<AgentFinal[]> {
    const paused = await Promise.all(this.children.map((c) => this.ask(c, { type: 'stop', quietMs }, 'paused')));
    if (paused.some((p) => p.unanswered > 0)) await untilIdle();
    const stopped = await Promise.all(this.children.map((c) => this.ask(c, { type: 'retry', quietMs }, 'stopped')));
    const expected: Record<string, number> = {};
    for (const { final } of stopped)
      for (const streamId of final.acked.streamIds) expected[streamId] = (expected[streamId] ?? 0) + 1;
    const drained = await Promise.all(
      this.children.map((c) => this.ask(c, { type: 'drain', expected, ...drain }, 'drained')),
    );
    return stopped.map((s, i) => ({ ...s.final, ...drained[i]!.final }));
  }

  /** Closes every socket and waits for the children to exit (killing any that hang). */
  async close(): Promise<void> {
    await Promise.all(
      this.children.map(
        (c) =>
          new Promise<void>((resolve) => {
            if (c.exitCode !== null || c.signalCode !== null) return resolve();
            const kill = setTimeout(() => c.kill('SIGKILL'), 5000);
            c.once('exit', () => {
              clearTimeout(kill);
              resolve();
            });
            if (c.connected) c.send({ type: 'close' } satisfies ToAgent);
            else c.kill('SIGTERM');
          }),
      ),
    );
  }
}
