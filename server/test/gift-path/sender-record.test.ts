import { randomUUID } from 'node:crypto';
import { revokeTokens } from '../../../shared/domain/accounts';
import { startTestServer, type TestServer } from '../support/test-server';
import { fan, liveStream, send } from '../gifting/fixtures';

/**
 * A socket keeps its sender's record, so a gift reads no account; yet an operator's suspension or revocation counts
 * from the very next send, without waiting for the notice to reach the socket: the wallet phase reads both in the
 * sender's slot, in the same step as the coins.
 */
describe("a sender's cached record never outlives a suspension or a revocation", () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer();
  });
  afterAll(() => s.close());

  const admin = (path: string, body?: unknown) =>
    s.request('POST', `/v1/admin/users/${path}`, { token: s.deps.config.adminToken, body });

  it('suspended between two sends, the fan is ACCOUNT_SUSPENDED at once and no coin moves; unsuspended, they send again', async () => {
    const { streamId } = await liveStream(s);
    const viewer = await fan(s, 50);
    expect(await send(viewer.socket, streamId, 'rose')).toMatchObject({ ok: true, wallet: { coins: 49 } });

    expect((await admin(`${viewer.user.id}/suspend`, { reason: 'fraud' })).status).toBe(200);
    expect(await send(viewer.socket, streamId, 'rose')).toMatchObject({
      ok: false,
      error: { code: 'ACCOUNT_SUSPENDED' },
    });
    // suspension ranks above the stream's existence and state, even though the socket had a record cached
    expect(await send(viewer.socket, randomUUID(), 'rose')).toMatchObject({
      ok: false,
      error: { code: 'ACCOUNT_SUSPENDED' },
    });
    const wallet = (await s.request('GET', '/v1/wallet', { token: viewer.token })).body;
    expect(wallet).toMatchObject({ coins: 49, heldCoins: 1 });

    expect((await admin(`${viewer.user.id}/unsuspend`)).status).toBe(200);
    expect(await send(viewer.socket, streamId, 'rose')).toMatchObject({ ok: true, wallet: { coins: 48 } });
  });

  it('tokens revoked between two sends: the next send is UNAUTHORIZED at once, a replay of a sent gift included', async () => {
    const { streamId } = await liveStream(s);
    const viewer = await fan(s, 50);
    const key = randomUUID();
    expect(await send(viewer.socket, streamId, 'rose', 1, key)).toMatchObject({ ok: true });

    // behind the socket's back (the operator route would also tell and drop the socket): the send itself refuses
    await revokeTokens(s.deps, viewer.user.id);
    for (const attempt of [
      () => send(viewer.socket, streamId, 'rose'),
      () => send(viewer.socket, streamId, 'rose', 1, key),
      () => send(viewer.socket, randomUUID(), 'rose'),
    ]) {
      expect(await attempt()).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });
    }
    const fresh = (await admin(`${viewer.user.id}/token`)).body.token as string;
    expect((await s.request('GET', '/v1/wallet', { token: fresh })).body).toMatchObject({ coins: 49, heldCoins: 1 });
  });
});
