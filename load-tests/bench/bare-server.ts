import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { Server } from 'socket.io';
import { sampleFrame } from '../lib/frames';

/**
 * A bare Socket.IO server for the broadcast ceiling: watchers join a room with `stream:join`, and the server
 * broadcasts Giftwire-shaped `gifts` frames to that room at the rate its parent asks for. No Redis, no auth, no
 * adapter: the cost of fanning the same frames out, and nothing else.
 *
 * IPC in: { type: 'rate', framesPerSec, items, restGifts } | { type: 'stop' }   out: { type: 'listening', port }
 */
type Msg = { type: 'rate'; framesPerSec: number; items: number; restGifts: number } | { type: 'stop' };

const http = createServer();
const io = new Server(http, { maxHttpBufferSize: 16 * 1024, cors: { origin: true } });
const ROOM = 'stream:bench';
const STREAM_ID = '00000000-0000-4000-8000-000000000000';

io.on('connection', (socket) => {
  socket.on('stream:join', (_payload: unknown, ack?: (res: unknown) => void) => {
    void socket.join(ROOM);
    ack?.({ ok: true, viewers: io.of('/').adapter.rooms.get(ROOM)?.size ?? 0 });
  });
});

let timer: NodeJS.Timeout | undefined;

function broadcast(framesPerSec: number, items: number, restGifts: number): void {
  clearTimeout(timer);
  if (framesPerSec <= 0) return;
  // One frame built once; each emit only stamps `at` (Giftwire has its items ready, too). The packet is
  // encoded synchronously inside emit(), so re-stamping afterwards is safe.
  const frame = sampleFrame(STREAM_ID, items, Date.now(), restGifts);
  const started = performance.now();
  let k = 0;
  const tick = () => {
    const elapsed = performance.now() - started;
    // By the clock, like the senders: a stalled loop catches up instead of silently emitting less.
    while ((k * 1000) / framesPerSec <= elapsed) {
      const at = Date.now();
      for (const item of frame.items) item.at = at;
      io.to(ROOM).emit('gifts', frame);
      k++;
    }
    timer = setTimeout(tick, Math.max(1, (k * 1000) / framesPerSec - (performance.now() - started)));
  };
  tick();
}

process.on('message', (msg: Msg) => {
  if (msg.type === 'rate') broadcast(msg.framesPerSec, msg.items, msg.restGifts);
  if (msg.type === 'stop') {
    clearTimeout(timer);
    io.close(() => process.exit(0));
  }
});
process.on('disconnect', () => process.exit(0));

http.listen(0, '127.0.0.1', () => process.send?.({ type: 'listening', port: (http.address() as AddressInfo).port }));
