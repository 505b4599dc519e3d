import { startTestServer, type TestServer } from '../support/test-server';

/**
 * Issue #16, defect 1: concurrent rotations of a creator's overlay key left several keys valid for good. The
 * creator's own record is the source of truth; the key index only points at it, and a key found there that is
 * not the creator's current key is refused.
 */
describe('rotating an overlay key leaves exactly one key that works', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer();
  });
  afterAll(() => s.close());

  const works = async (overlayKey: string) =>
    (await s.request('GET', '/v1/overlay/stream', { headers: { 'x-overlay-key': overlayKey } })).status === 200;

  const socketWorks = (overlayKey: string) =>
    s.connect({ overlayKey }).then(
      (socket) => {
        socket.disconnect();
        return true;
      },
      () => false,
    );

  it('20 parallel rotations: one key is valid (REST and Socket.io), and after one more rotation only the newest', async () => {
    const creator = await s.createUser();
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => s.request('POST', '/v1/overlay-key', { token: creator.token })),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(20).fill(201));
    const keys = answers.map((a) => a.body.overlayKey as string);
    expect(new Set(keys).size).toBe(20);

    const valid = [];
    for (const key of keys) if (await works(key)) valid.push(key);
    expect(valid).toHaveLength(1);
    const viaSocket = [];
    for (const key of keys) if (await socketWorks(key)) viaSocket.push(key);
    expect(viaSocket).toEqual(valid);

    const next = await s.request('POST', '/v1/overlay-key', { token: creator.token });
    const stillValid = [];
    for (const key of [...keys, next.body.overlayKey as string]) if (await works(key)) stillValid.push(key);
    expect(stillValid).toEqual([next.body.overlayKey]);
  });

  it('a key left behind in the lookup index (a rotation that died half-way) does not work', async () => {
    const creator = await s.createUser();
    const first = (await s.request('POST', '/v1/overlay-key', { token: creator.token })).body.overlayKey as string;
    const second = (await s.request('POST', '/v1/overlay-key', { token: creator.token })).body.overlayKey as string;
    // What a rotation that died between replacing the creator's key and cleaning the index would leave behind.
    await s.deps.redis.set(s.deps.keys.overlayKey(first), creator.user.id);
    expect(await works(first)).toBe(false);
    expect(await socketWorks(first)).toBe(false);
    expect(await works(second)).toBe(true);
  });

  it('a rotation drops the overlays of the old key only: one opened with the new key at once stays', async () => {
    const creator = await s.createUser();
    const first = (await s.request('POST', '/v1/overlay-key', { token: creator.token })).body.overlayKey as string;
    const old = await s.connect({ overlayKey: first });
    const oldDropped = new Promise<string>((resolve) => old.once('disconnect', resolve));
    for (let round = 0; round < 5; round++) {
      const next = (await s.request('POST', '/v1/overlay-key', { token: creator.token })).body.overlayKey as string;
      const fresh = await s.connect({ overlayKey: next });
      const drops: string[] = [];
      fresh.on('disconnect', (reason) => drops.push(reason));
      // a settings save reaches every overlay of the creator: by the time it arrives, a drop would have too
      const told = new Promise((resolve) => fresh.once('overlay:settings', resolve));
      expect((await s.request('PUT', '/v1/overlay-settings', { token: creator.token, body: {} })).status).toBe(200);
      await told;
      expect(drops).toEqual([]);
      expect(fresh.connected).toBe(true);
      fresh.disconnect();
    }
    expect(await oldDropped).toBe('io server disconnect');
  });
});
