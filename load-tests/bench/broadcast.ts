import os from 'node:os';
import { parseArgs } from 'node:util';
import { broadcastCeiling } from '../lib/ceilings/broadcast';

/**
 * `npx tsx load-tests/bench/broadcast.ts --watchers 2000 --items 50`: the bare Socket.IO broadcast ceiling
 * (see lib/ceilings/broadcast.ts). `npm run load -- ... --ceilings` runs it after a scenario, sized like it.
 */
const { values } = parseArgs({
  options: {
    watchers: { type: 'string', default: '2000' },
    items: { type: 'string', default: '50' },
    rest: { type: 'string', default: '450' },
    'start-fps': { type: 'string', default: '20' },
    'max-fps': { type: 'string', default: '1280' },
    'step-sec': { type: 'string', default: '5' },
    agents: { type: 'string', default: String(Math.max(2, os.availableParallelism())) },
    'parse-percent': { type: 'string', default: '5' },
  },
});

broadcastCeiling({
  watchers: Number(values.watchers),
  items: Number(values.items),
  restGifts: Number(values.rest),
  startFps: Number(values['start-fps']),
  maxFps: Number(values['max-fps']),
  stepSec: Number(values['step-sec']),
  agents: Number(values.agents),
  parsePercent: Number(values['parse-percent']),
  say: (line) => console.log(`[broadcast] ${line}`),
})
  .then((r) => {
    console.log(
      r.ceiling
        ? `[broadcast] ceiling: ${r.ceiling.framesPerSec} frames/s to ${r.watchers} watchers = ${r.ceiling.deliveriesPerSec.toLocaleString('en-US')} frame deliveries/s, ${r.ceiling.mibPerSec.toFixed(0)} MiB/s`
        : '[broadcast] no step kept up',
    );
    console.log(
      `[broadcast] most delivered in any step: ${Math.round(r.maxDelivered.deliveriesPerSec).toLocaleString('en-US')} deliveries/s, ${r.maxDelivered.mibPerSec.toFixed(0)} MiB/s`,
    );
  })
  .catch((err: Error) => {
    console.error(err.stack ?? err.message);
    process.exit(1);
  });
