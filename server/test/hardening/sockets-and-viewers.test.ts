import { io as ioClient } from 'socket.io-client';
import { emitAck, uniquePrefix, waitFor, type TestSocket } from '../../../shared/testing/harness';
import { startTestServer, type TestServer } from '../support/test-server';
import { liveStream } from '../gifting/fixtures';

/**
 * Issue #16, defect 6: 3,000 sockets from one address were all accepted and counted as viewers, and one real viewer
 * showed as "4 watching" (the creator's own page and two overlays counted). Connections are capped per client
 * address, and `viewers` counts people: distinct signed-in viewers plus one per anonymous socket, never the
 * stream's creator or overlays.
 */
describe('connections per address are capped, and viewers are people', () => {
  const servers: TestServer[] = [];
  const start = async (...args: Parameters<typeof startTestServer>) => {
    const s = await startTestServer(...args);
    servers.push(s);
    return s;
  };
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });

  /** A socket whose handshake says it came through a proxy on this machine for `client`. */
  const viaProxy = (s: TestServer, client: string) =>
    new Promise<TestSocket>((resolve, reject) => {
      const socket: TestSocket = ioClient(s.url, {
        transports: ['websocket'],
        reconnection: false,
        forceNew: true,
        extraHeaders: { 'x-forwarded-for': client },
      });
      socket.once('connect', () => resolve(socket));
      socket.once('connect_error', (err) => {
        socket.disconnect();
        reject(err);
      });
    });

  it('past SOCKETS_PER_ADDRESS a connection is refused RATE_LIMITED; a closed one frees its place', async () => {
    const s = await start({ socketsPerAddress: 5 });
    const open = [];
    for (let i = 0; i < 5; i++) open.push(await s.connect());
    await expect(s.connect()).rejects.toThrow('RATE_LIMITED');
    open[0]!.disconnect();
    const again = await waitFor(
      () =>
        s.connect().then(
          () => true,
          () => false,
        ),
      (ok) => ok,
    );
    expect(again).toBe(true);
    await expect(s.connect()).rejects.toThrow('RATE_LIMITED');
  });

  it('behind a trusted (loopback) proxy each forwarded client address has its own allowance', async () => {
    const s = await start({ socketsPerAddress: 2 });
    const sockets = [await viaProxy(s, '203.0.113.7'), await viaProxy(s, '203.0.113.7')];
    await expect(viaProxy(s, '203.0.113.7')).rejects.toThrow('RATE_LIMITED');
    sockets.push(await viaProxy(s, '198.51.100.9'));
    for (const socket of sockets) socket.disconnect();
  });

  it("the creator's own sockets and overlays do not count; a viewer with two tabs counts once; anonymous sockets one each", async () => {
    const s = await start();
    const { creator, streamId } = await liveStream(s);
    const join = async (socket: TestSocket) => {
      const ack = await emitAck(socket, 'stream:join', { streamId });
      expect(ack.ok).toBe(true);
      return ack.viewers as number;
    };
    const overlayKey = (await s.request('POST', '/v1/overlay-key', { token: creator.token })).body.overlayKey;
    expect(await join(await s.connect({ token: creator.token }))).toBe(0);
    await join(await s.connect({ overlayKey }));
    expect(await join(await s.connect({ overlayKey }))).toBe(0);

    const pushes: number[] = [];
    const watcher = await s.connect();
    watcher.on('viewers', ({ count }) => pushes.push(count));
    expect(await join(watcher)).toBe(1);
    const ann = await s.createUser();
    const tab1 = await s.connect({ token: ann.token });
    const tab2 = await s.connect({ token: ann.token });
    expect(await join(tab1)).toBe(2);
    expect(await join(tab2)).toBe(2);
    const anon2 = await s.connect();
    expect(await join(anon2)).toBe(3);
    const viewers = async () => (await s.request('GET', `/v1/streams/${streamId}`)).body.viewers as number;
    expect(await viewers()).toBe(3);
    await waitFor(
      () => pushes[pushes.length - 1],
      (n) => n === 3,
    );

    // Ann closes one tab while an anonymous watcher leaves: only the anonymous one stops counting
    tab1.disconnect();
    anon2.disconnect();
    await waitFor(viewers, (n) => n < 3);
    await new Promise((r) => setTimeout(r, 50)); // both disconnects are in (they are coalesced into one publish)
    expect(await viewers()).toBe(2);
    tab2.disconnect();
    await waitFor(viewers, (n) => n === 1);
  });

  it('a viewer connected to two server processes counts once', async () => {
    const keyPrefix = uniquePrefix();
    const a = await start({ keyPrefix });
    const b = await start({ keyPrefix });
    const { streamId } = await liveStream(a);
    const ann = await a.createUser();
    for (const s of [a, b]) {
      const ack = await emitAck(await s.connect({ token: ann.token }), 'stream:join', { streamId });
      expect(ack.ok).toBe(true);
    }
    await emitAck(await b.connect(), 'stream:join', { streamId });
    expect((await a.request('GET', `/v1/streams/${streamId}`)).body.viewers).toBe(2);
  });
});
