import type { AgentInit, FromAgent, ToAgent } from '../lib/protocol';
import { Creators } from './creators';
import { Meter } from './meter';
import { Senders } from './senders';
import { Watchers } from './watchers';

/**
 * A load-generator child process (forked by run.ts): its share of the watchers, senders and creator sockets.
 * It reports one Interval a second and, when told to stop, everything it needs for the final checks.
 */
const send = (msg: FromAgent) => process.send?.(msg);

let init: AgentInit | undefined;
let watchers: Watchers | undefined;
let senders: Senders | undefined;
let creators: Creators | undefined;
const meter = new Meter();
let t0 = 0;
let reportTimer: NodeJS.Timeout | undefined;

function report(all = false): void {
  const intervals = meter.drain(
    {
      watchersConnected: watchers?.connected ?? 0,
      sendersConnected: senders?.connected ?? 0,
      pendingAcks: senders?.pendingAcks ?? 0,
    },
    all,
  );
  for (const interval of intervals) send({ type: 'interval', interval });
}

/** Reports at every whole second after t0 (or every second before it), so agents' intervals line up. */
function scheduleReports(): void {
  clearTimeout(reportTimer);
  const tick = () => {
    report();
    const wait = t0 === 0 ? 1000 : 1000 - ((Date.now() - t0) % 1000) + 5;
    reportTimer = setTimeout(tick, wait);
  };
  const first = t0 === 0 ? 1000 : Math.max(0, t0 - Date.now()) + 1005;
  reportTimer = setTimeout(tick, first);
}

async function onMessage(msg: ToAgent): Promise<void> {
  switch (msg.type) {
    case 'init':
      init = msg;
      watchers = new Watchers(msg.url, msg.watchers, meter);
      senders = new Senders(msg.url, msg.senders, msg.schedule, msg.mix, msg.seed, msg.lateMs, meter);
      creators = new Creators(msg.url, msg.creators, meter);
      send({ type: 'ready' });
      return;
    case 'connect': {
      if (!init || !watchers || !senders || !creators) throw new Error('connect before init');
      scheduleReports();
      await creators.connectAll();
      await senders.connectAll();
      await watchers.connectAll(init.connectRate);
      send({
        type: 'connected',
        watchers: watchers.connected,
        senders: senders.connected,
        creators: creators.connected,
        failed: watchers.failed + senders.failed + creators.failed,
        errors: [...creators.errors, ...senders.errors, ...watchers.errors],
      });
      return;
    }
    case 'start':
      t0 = msg.t0;
      meter.start(msg.t0);
      scheduleReports();
      senders?.start(msg.t0);
      return;
    case 'stop':
      send({ type: 'paused', unanswered: (await senders?.stop(msg.quietMs)) ?? 0 });
      return;
    case 'retry':
      await senders?.retryUnanswered(msg.quietMs);
      send({ type: 'stopped', final: senders!.final() });
      return;
    case 'drain':
      await creators?.drain(msg.expected, msg.quietMs, msg.timeoutMs);
      clearTimeout(reportTimer);
      report(true);
      send({ type: 'drained', final: creators!.final() });
      return;
    case 'close':
      clearTimeout(reportTimer);
      senders?.closeAll();
      watchers?.closeAll();
      creators?.closeAll();
      setTimeout(() => process.exit(0), 100);
      return;
  }
}

process.on('message', (msg: ToAgent) => {
  onMessage(msg).catch((err: Error) => send({ type: 'error', message: err.stack ?? err.message }));
});
// The orchestrator is gone: nothing to report to.
process.on('disconnect', () => process.exit(0));
