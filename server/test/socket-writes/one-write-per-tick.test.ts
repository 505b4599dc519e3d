import type { Writable } from 'node:stream';
import { waitFor, type TestSocket } from '../../../shared/testing/harness';
import { startTestServer, type TestServer } from '../support/test-server';

/** The TCP socket under a server socket's WebSocket, and a count of the writes that reach the kernel through it. */
function countKernelWrites(s: TestServer, client: TestSocket): { writes: () => number } {
  const onServer = s.giftwire.io.of('/').sockets.get(client.id ?? '');
  if (!onServer) throw new Error('no server socket for this client');
  const conn = onServer.conn as unknown as { transport: { name: string; socket: { _socket: Writable } } };
  expect(conn.transport.name).toBe('websocket');
  const tcp = conn.transport.socket._socket;
  // the count sits in front of the real writes: every byte still goes to the kernel
  const one = jest.spyOn(tcp as unknown as { _write: Writable['_write'] }, '_write');
  const many = jest.spyOn(tcp as unknown as { _writev: NonNullable<Writable['_writev']> }, '_writev');
  return { writes: () => one.mock.calls.length + many.mock.calls.length };
}

/**
 * A socket that is sent several events at once (a poll's `streak:ended` events, a gifts frame, the leaderboard, an
 * ack: a gift war sends a watcher a few in the same moment) gets them in one write to the kernel, not one write
 * each, and the client reads every one of them, in order. Events sent in different moments still go out each at
 * once.
 */
describe('what a socket is sent in one tick leaves in one system call', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer();
  });
  afterAll(() => s.close());

  it('six events sent at once: one write, all read in order', async () => {
    const client = await s.connect();
    const seen: number[] = [];
    client.on('viewers', (v) => seen.push(v.count));
    const kernel = countKernelWrites(s, client);
    const onServer = s.giftwire.io.of('/').sockets.get(client.id!)!;

    for (let count = 1; count <= 6; count++) onServer.emit('viewers', { streamId: 'st_writes', count });

    await waitFor(
      () => seen.length,
      (n) => n === 6,
    );
    expect(seen).toEqual([1, 2, 3, 4, 5, 6]);
    expect(kernel.writes()).toBe(1);
  });

  it('a socket sent one event at a time still gets each at once', async () => {
    const client = await s.connect();
    const seen: number[] = [];
    client.on('viewers', (v) => seen.push(v.count));
    const kernel = countKernelWrites(s, client);
    const onServer = s.giftwire.io.of('/').sockets.get(client.id!)!;

    for (let count = 1; count <= 3; count++) {
      onServer.emit('viewers', { streamId: 'st_writes', count });
      await waitFor(
        () => seen.length,
        (n) => n === count,
      );
    }
    expect(seen).toEqual([1, 2, 3]);
    expect(kernel.writes()).toBe(3);
  });
});
