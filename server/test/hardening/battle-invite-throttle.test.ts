import { emitAck, waitFor } from '../../../shared/testing/harness';
import { startTestServer, type TestServer } from '../support/test-server';
import { invite, liveCreator, recordBattleEvents, type Creator } from '../battles/fixtures';

/**
 * Issue #16, defect 5: 30 create+cancel cycles against one creator in 2.7 s, each pushing `battle:invited` to
 * them. Invitations are limited per challenger and per target; only invitations actually sent count, and the one
 * over the limit is RATE_LIMITED (the last of the contract's errors) and pushes nothing.
 */
describe('battle invitations are throttled per challenger and per target', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer({ battleInvitesPerChallenger: 3, battleInvitesPerTarget: 5 });
  });
  afterAll(() => s.close());

  async function inviteAndCancel(a: Creator, b: Creator) {
    const res = await invite(s, a, b);
    if (res.status === 201) {
      const cancel = await s.request('POST', `/v1/battles/${res.body.battle.id}/cancel`, { token: a.token });
      expect(cancel.status).toBe(200);
    }
    return res;
  }

  async function watchInvitations(target: Creator) {
    const socket = await s.connect({ token: target.token });
    expect(await emitAck(socket, 'stream:join', { streamId: target.streamId })).toMatchObject({ ok: true });
    return recordBattleEvents(socket);
  }

  it('a challenger gets 3 invitations out, then RATE_LIMITED; the target hears only the 3', async () => {
    const a = await liveCreator(s);
    const b = await liveCreator(s);
    const events = await watchInvitations(b);
    for (let i = 0; i < 3; i++) expect((await inviteAndCancel(a, b)).status).toBe(201);
    const fourth = await inviteAndCancel(a, b);
    expect(fourth.status).toBe(429);
    expect(fourth.body.error.code).toBe('RATE_LIMITED');
    expect(await s.deps.redis.hget(s.deps.keys.stream(a.streamId), 'battleId')).toBe('');
    await waitFor(
      () => events.filter((e) => e.event === 'battle:ended').length,
      (n) => n === 3,
    );
    expect(events.filter((e) => e.event === 'battle:invited')).toHaveLength(3);
  });

  it('a refused invitation does not count, and other errors come before RATE_LIMITED', async () => {
    const a = await liveCreator(s);
    const b = await liveCreator(s);
    const c = await liveCreator(s);
    const pending = await invite(s, c, b); // b is busy: a's invitations are CONFLICT, not counted
    for (let i = 0; i < 5; i++) expect((await invite(s, a, b)).body.error.code).toBe('CONFLICT');
    await s.request('POST', `/v1/battles/${pending.body.battle.id}/cancel`, { token: c.token });
    for (let i = 0; i < 3; i++) expect((await inviteAndCancel(a, b)).status).toBe(201);
    await s.request('POST', `/v1/streams/${b.streamId}/end`, { token: b.token });
    expect((await invite(s, a, b)).body.error.code).toBe('STREAM_NOT_LIVE');
  });

  it('a target receives at most 5 invitations, whoever sends them', async () => {
    const target = await liveCreator(s);
    const events = await watchInvitations(target);
    const answers = [];
    for (let i = 0; i < 6; i++) answers.push((await inviteAndCancel(await liveCreator(s), target)).status);
    expect(answers).toEqual([201, 201, 201, 201, 201, 429]);
    await waitFor(
      () => events.filter((e) => e.event === 'battle:ended').length,
      (n) => n === 5,
    );
    expect(events.filter((e) => e.event === 'battle:invited')).toHaveLength(5);
  });
});
