import type { LeaderboardItem } from '../../../shared/contracts/models';
import type { User } from '../../../shared/contracts/users';
import { fundedViewer, sendGiftsWorth } from '../../../shared/testing/money';
import { startTestServer, type TestServer } from '../support/test-server';
import { liveStream } from '../gifting/fixtures';

/**
 * Every gifter can be listed: a board pages with `cursor` until `nextCursor` is null, and `around=<userId>` shows the
 * rows next to one user with their real rank. A cursor is the last row's place on the board (its coins, when it got
 * there, its id), so gifts arriving while someone pages never repeat a row.
 */
describe('leaderboards page through every gifter, and show the rows around one of them', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer();
  });
  afterAll(() => s.close());

  type Answer = { items: LeaderboardItem[]; nextCursor: string | null };
  const get = async (path: string): Promise<Answer> => {
    const res = await s.request('GET', path);
    if (res.status !== 200) throw new Error(`${path}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as Answer;
  };

  /** A live stream and `n` fans who gave 10, 20, ... coins (the last one gave the most). */
  async function boardOf(n: number) {
    const { creator, streamId } = await liveStream(s);
    const fans: User[] = [];
    for (let i = 1; i <= n; i++) {
      const f = await fundedViewer(s.deps, 100_000);
      await sendGiftsWorth(s.deps, f, streamId, 10 * i);
      fans.push(f);
    }
    return { creator, streamId, fans };
  }

  it('pages of 3 list 10 gifters once each, in rank order, and the last page says so', async () => {
    const { creator, streamId, fans } = await boardOf(10);
    for (const base of [`/v1/streams/${streamId}/leaderboard`, `/v1/creators/${creator.user.id}/leaderboard`]) {
      const seen: LeaderboardItem[] = [];
      let page = await get(`${base}?limit=3`);
      seen.push(...page.items);
      while (page.nextCursor) {
        expect(page.items).toHaveLength(3);
        page = await get(`${base}?limit=3&cursor=${page.nextCursor}`);
        seen.push(...page.items);
      }
      expect(seen.map((r) => [r.rank, r.userId, r.coins])).toEqual(
        [...fans].reverse().map((f, i) => [i + 1, f.id, 100 - 10 * i]),
      );
      expect(seen.map((r) => r.displayName)).toEqual([...fans].reverse().map((f) => f.displayName));
    }
    // a board that fits on one page has no next page
    expect((await get(`/v1/streams/${streamId}/leaderboard?limit=10`)).nextCursor).toBeNull();
    expect((await get(`/v1/streams/${streamId}/leaderboard?limit=9`)).nextCursor).not.toBeNull();
  });

  it('while gifts keep coming, paging never lists a gifter twice and lists every gifter who did not climb past it', async () => {
    const { streamId, fans } = await boardOf(12); // 120, 110, ..., 10 coins
    const base = `/v1/streams/${streamId}/leaderboard`;
    const listed: string[] = [];
    const climbed = new Set<string>();
    const late: User[] = [];
    let page = await get(`${base}?limit=4`);
    listed.push(...page.items.map((r) => r.userId));
    let turn = 0;
    while (page.nextCursor) {
      turn += 1;
      // between pages: the top gifter gives more, a gifter already listed overtakes the top, a gifter not listed yet
      // gives 1 coin (not enough to pass anyone), one not listed climbs past every listed row, and a newcomer arrives
      await sendGiftsWorth(s.deps, fans[11]!, streamId, 5);
      await sendGiftsWorth(s.deps, fans[12 - turn]!, streamId, 200);
      const below = fans.find((f) => !listed.includes(f.id) && f.id !== fans[0]!.id);
      if (below) await sendGiftsWorth(s.deps, below, streamId, 1);
      if (turn === 1) {
        await sendGiftsWorth(s.deps, fans[0]!, streamId, 1_000); // from last to first: the cursor is passed
        climbed.add(fans[0]!.id);
      }
      const newcomer = await fundedViewer(s.deps, 100);
      await sendGiftsWorth(s.deps, newcomer, streamId, 2);
      late.push(newcomer);
      page = await get(`${base}?limit=4&cursor=${page.nextCursor}`);
      listed.push(...page.items.map((r) => r.userId));
    }
    expect(new Set(listed).size).toBe(listed.length); // nobody twice
    for (const f of fans) if (!climbed.has(f.id)) expect(listed).toContain(f.id);
    for (const f of late) expect(listed).toContain(f.id); // newcomers below the cursor are reached too
    // the one who climbed past the cursor is where a new read from the top finds them: first
    expect((await get(`${base}?limit=1`)).items[0]!.userId).toBe(fans[0]!.id);
  });

  it('ranks on a later page are real ranks: the cursor page starts where the board says the row is', async () => {
    const { streamId } = await boardOf(5);
    const first = await get(`/v1/streams/${streamId}/leaderboard?limit=2`);
    const newcomer = await fundedViewer(s.deps, 1_000);
    await sendGiftsWorth(s.deps, newcomer, streamId, 500); // a new first row, above the cursor
    const second = await get(`/v1/streams/${streamId}/leaderboard?limit=2&cursor=${first.nextCursor}`);
    // the rows after the cursor are the 3rd and 4th of the first read, now 4th and 5th
    expect(second.items.map((r) => [r.rank, r.coins])).toEqual([
      [4, 30],
      [5, 20],
    ]);
  });

  it('around a user: up to `limit` rows centred on theirs, with real ranks; nobody is left out at the ends', async () => {
    const { creator, streamId, fans } = await boardOf(9); // ranks 1..9 = fans 9..1
    const around = async (u: User, limit: number, base = `/v1/streams/${streamId}/leaderboard`) =>
      (await get(`${base}?limit=${limit}&around=${u.id}`)).items.map((r) => r.rank);
    const rankOf = (i: number) => 10 - i; // fans[i - 1] gave 10 i coins
    expect(rankOf(5)).toBe(5);
    expect(await around(fans[4]!, 3)).toEqual([4, 5, 6]);
    expect(await around(fans[4]!, 4)).toEqual([4, 5, 6, 7]);
    expect(await around(fans[4]!, 1)).toEqual([5]);
    expect(await around(fans[8]!, 5)).toEqual([1, 2, 3, 4, 5]); // the top: the page starts at rank 1
    expect(await around(fans[0]!, 5)).toEqual([5, 6, 7, 8, 9]); // the bottom: the page ends at the last row
    expect(await around(fans[4]!, 100)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const rows = (await get(`/v1/streams/${streamId}/leaderboard?limit=3&around=${fans[4]!.id}`)).items;
    expect(rows[1]).toMatchObject({ rank: 5, userId: fans[4]!.id, coins: 50, displayName: fans[4]!.displayName });
    // the creator's board the same way
    expect(await around(fans[4]!, 3, `/v1/creators/${creator.user.id}/leaderboard`)).toEqual([4, 5, 6]);
    // a user with no coins there gets an empty list
    const stranger = await fundedViewer(s.deps, 10);
    expect(await get(`/v1/streams/${streamId}/leaderboard?around=${stranger.id}`)).toEqual({
      items: [],
      nextCursor: null,
    });
  });

  it('a cursor the server did not give, or cursor with around, is VALIDATION_FAILED', async () => {
    const { streamId, fans } = await boardOf(2);
    const base = `/v1/streams/${streamId}/leaderboard`;
    const cursor = (await get(`${base}?limit=1`)).nextCursor!;
    for (const q of ['cursor=Zm9vOmJhcg', 'cursor=%2B%2B', `cursor=${cursor}&around=${fans[0]!.id}`]) {
      const res = await s.request('GET', `${base}?${q}`);
      expect([q, res.status, res.body.error?.code]).toEqual([q, 400, 'VALIDATION_FAILED']);
    }
  });
});
