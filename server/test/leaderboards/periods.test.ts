import type { LeaderboardPeriod } from '../../../shared/contracts/leaderboards';
import { redisNow } from '../../../shared/domain/clock';
import {
  creatorBoardKey,
  creatorBoardsOfGift,
  periodAt,
  periodNumbered,
} from '../../../shared/domain/leaderboard-periods';
import { createKeys } from '../../../shared/redis/keys';
import { expireLegacyPeriodBoards } from '../../../shared/domain/leaderboard-retention';
import { fundedViewer, sendGiftsWorth } from '../../../shared/testing/money';
import { startTestServer, type TestServer } from '../support/test-server';
import { liveStream } from '../gifting/fixtures';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** The period boundaries, worked out by hand from the calendar (UTC), to hold the server's answers against. */
function expectedPeriod(name: LeaderboardPeriod, at: number) {
  const d = new Date(at);
  const [y, m, day] = [d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()];
  switch (name) {
    case 'hour': {
      const start = Date.UTC(y, m, day, d.getUTCHours());
      return { start, end: start + HOUR, expiresAt: start + HOUR + 48 * HOUR };
    }
    case 'day': {
      const start = Date.UTC(y, m, day);
      return { start, end: start + DAY, expiresAt: start + DAY + 35 * DAY };
    }
    case 'week': {
      const sinceMonday = (d.getUTCDay() + 6) % 7;
      const start = Date.UTC(y, m, day - sinceMonday);
      return { start, end: start + 7 * DAY, expiresAt: start + 7 * DAY + 70 * DAY };
    }
    case 'month':
      return { start: Date.UTC(y, m, 1), end: Date.UTC(y, m + 1, 1), expiresAt: Date.UTC(y, m + 14, 1) };
    case 'all':
      return { start: null, end: null, expiresAt: null };
  }
}

const DATED = ['hour', 'day', 'week', 'month'] as const;

describe('periods: UTC hours, days, weeks from Monday, months; `at` picks one; each expires after its retention', () => {
  it('the period of a moment, at its boundaries, agrees with the calendar', () => {
    const moments = [
      Date.UTC(2024, 1, 29, 23, 59, 59, 999), // the last millisecond of a leap day, of February, of a Thursday
      Date.UTC(2024, 2, 1), // the first of March, a Friday
      Date.UTC(2024, 0, 7, 23, 59, 59, 999), // Sunday night: still the week that began Monday 1 January
      Date.UTC(2024, 0, 8), // Monday 00:00: a new week
      Date.UTC(2023, 11, 31, 23, 30), // New Year's Eve: December, kept until February 2025
      Date.UTC(1970, 0, 1), // the epoch, a Thursday: its week began Monday 29 December 1969
      Date.UTC(2026, 11, 2, 1, 18, 30),
    ];
    for (const at of moments) {
      for (const name of [...DATED, 'all'] as const) {
        const p = periodAt(name, at);
        expect([new Date(at).toISOString(), name, p.start, p.end, p.expiresAt]).toEqual([
          new Date(at).toISOString(),
          name,
          ...Object.values(expectedPeriod(name, at)),
        ]);
        if (p.start !== null) expect(p.start <= at && at < p.end!).toBe(true);
        if (name !== 'all') expect(periodNumbered(name, p.n)).toEqual(p); // a key's number names its period
      }
    }
    expect(periodAt('week', Date.UTC(1970, 0, 1)).start).toBe(Date.UTC(1969, 11, 29));
    expect(periodAt('month', Date.UTC(2023, 11, 31, 23, 30)).expiresAt).toBe(Date.UTC(2025, 1, 1));
    // neighbouring moments across a boundary are neighbouring periods
    const monday = Date.UTC(2024, 0, 8);
    expect(periodAt('week', monday).n).toBe(periodAt('week', monday - 1).n + 1);
    expect(periodAt('month', Date.UTC(2024, 0, 1)).n).toBe(periodAt('month', Date.UTC(2023, 11, 31, 23, 59)).n + 1);
  });

  it("a gift's creator boards: the calendar's periods, the same answer all hour, a new one at each boundary", () => {
    const keys = createKeys('periods-test');
    const fresh = (creatorId: string, at: number) => {
      const periods = [...DATED, 'all'] as const;
      return {
        keys: periods.flatMap((name) => {
          const board = creatorBoardKey(keys, creatorId, periodAt(name, at));
          return [board, keys.lbMembers(board)];
        }),
        expiries: DATED.map((name) => expectedPeriod(name, at).expiresAt),
      };
    };
    // the last hour of a leap day, of February and of a week's Thursday, then the first hour of March
    const lastHour = Date.UTC(2024, 1, 29, 23);
    const moments = [lastHour, lastHour + 59 * 60_000, lastHour + HOUR - 1, lastHour + HOUR, lastHour + HOUR + 1];
    for (const creatorId of ['cr_one', 'cr_two']) {
      for (const at of moments) expect(creatorBoardsOfGift(keys, creatorId, at)).toEqual(fresh(creatorId, at));
    }
    const before = creatorBoardsOfGift(keys, 'cr_one', lastHour + HOUR - 1);
    const after = creatorBoardsOfGift(keys, 'cr_one', lastHour + HOUR);
    // hour, day and month boards change at midnight on 1 March; the week (Monday 26 February) and all time do not
    expect(before.keys.filter((k, i) => k !== after.keys[i])).toHaveLength(6);
    expect(before.keys.slice(4, 6)).toEqual(after.keys.slice(4, 6));
    expect(() => (before.keys as string[]).push('x')).toThrow(); // shared between gifts: nobody may change it
    // another key prefix is another deployment's boards
    expect(creatorBoardsOfGift(createKeys('elsewhere'), 'cr_one', lastHour).keys[0]).toContain('elsewhere');
  });

  describe('over HTTP', () => {
    let s: TestServer;
    beforeAll(async () => {
      s = await startTestServer();
    });
    afterAll(() => s.close());

    async function giftedCreator() {
      const { creator, streamId } = await liveStream(s);
      const fan = await fundedViewer(s.deps, 1_000);
      const [id] = await sendGiftsWorth(s.deps, fan, streamId, 30);
      // the gift's `at` (Redis TIME at acceptance) picks its periods: a test running across a boundary still agrees
      const at = Number(await s.deps.redis.hget(s.deps.keys.gift(id!), 'at'));
      return { creator, fan, streamId, at };
    }

    it("a gift counts in the creator's hour, day, week, month and all time; `period` says which", async () => {
      const { creator, fan, at } = await giftedCreator();
      for (const name of [...DATED, 'all'] as const) {
        // without `at`: the period that contains now
        const before = await redisNow(s.deps);
        const current = await s.request('GET', `/v1/creators/${creator.user.id}/leaderboard?period=${name}`);
        const after = await redisNow(s.deps);
        expect([pick(expectedPeriod(name, before)), pick(expectedPeriod(name, after))]).toContainEqual(
          pick(current.body.period),
        );
        const res = await s.request('GET', `/v1/creators/${creator.user.id}/leaderboard?period=${name}&at=${at}`);
        const { start, end } = expectedPeriod(name, at);
        expect(res.body).toEqual({
          items: [{ rank: 1, userId: fan.id, displayName: fan.displayName, coins: 30 }],
          period: { name, start, end },
          nextCursor: null,
        });
        if (name === 'all') continue;
        // `at` anywhere in the period is the same period; the moment before it starts is the previous one
        const same = await s.request('GET', `/v1/creators/${creator.user.id}/leaderboard?period=${name}&at=${start}`);
        expect(same.body).toEqual(res.body);
        const previous = await s.request(
          'GET',
          `/v1/creators/${creator.user.id}/leaderboard?period=${name}&at=${start! - 1}`,
        );
        expect(previous.body).toEqual({
          items: [],
          period: { name, ...pick(expectedPeriod(name, start! - 1)) },
          nextCursor: null,
        });
        expect(previous.body.period.end).toBe(start);
      }
    });

    it('a period not started yet, or past its retention, is VALIDATION_FAILED; all time takes any past `at`', async () => {
      const { creator } = await giftedCreator();
      const now = await redisNow(s.deps);
      const get = (q: string) => s.request('GET', `/v1/creators/${creator.user.id}/leaderboard?${q}`);
      for (const name of DATED) {
        const { end } = expectedPeriod(name, now);
        const next = await get(`period=${name}&at=${end}`);
        expect([name, next.status, next.body.error?.code]).toEqual([name, 400, 'VALIDATION_FAILED']);
      }
      // the oldest readable period of each kind, and the one before it
      const retention = { hour: 48 * HOUR, day: 35 * DAY, week: 70 * DAY } as const;
      for (const name of ['hour', 'day', 'week'] as const) {
        const lastReadable = now - retention[name]; // its period ends after `now - retention`
        expect((await get(`period=${name}&at=${lastReadable}`)).status).toBe(200);
        const gone = expectedPeriod(name, lastReadable).start! - 1;
        const res = await get(`period=${name}&at=${gone}`);
        expect([name, res.status]).toEqual([name, 400]);
      }
      const d = new Date(now);
      const oldestMonth = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - 13, 1);
      expect((await get(`period=month&at=${oldestMonth}`)).status).toBe(200);
      expect((await get(`period=month&at=${oldestMonth - 1}`)).status).toBe(400);
      expect((await get('period=all&at=0')).status).toBe(200);
      expect((await get(`period=all&at=${now + DAY}`)).status).toBe(400);
    });

    it('every period board and its members hash expire when the period is no longer readable; all time never', async () => {
      const { creator, fan, streamId, at: now } = await giftedCreator();
      const k = s.deps.keys;
      const boards = {
        hour: k.lbCreatorHour(creator.user.id, periodAt('hour', now).n),
        day: k.lbCreatorDay(creator.user.id, periodAt('day', now).n),
        week: k.lbCreatorWeek(creator.user.id, periodAt('week', now).n),
        month: k.lbCreatorMonth(creator.user.id, periodAt('month', now).n),
      };
      for (const name of DATED) {
        const { expiresAt } = expectedPeriod(name, now);
        for (const key of [boards[name], k.lbMembers(boards[name])]) {
          expect([name, key, Number(await s.deps.redis.call('PEXPIRETIME', key))]).toEqual([name, key, expiresAt]);
        }
      }
      expect(await s.deps.redis.pttl(k.lbCreatorAll(creator.user.id))).toBe(-1);
      expect(await s.deps.redis.pttl(k.lbMembers(k.lbCreatorAll(creator.user.id)))).toBe(-1);
      // a later gift by the same fan keeps the same expiry (absolute, whoever writes it)
      await sendGiftsWorth(s.deps, fan, streamId, 5);
      expect(Number(await s.deps.redis.call('PEXPIRETIME', boards.day))).toBe(expectedPeriod('day', now).expiresAt);
    });

    it('boards an older version wrote without expiry get theirs from the one-off, and past ones go', async () => {
      const { creator } = await liveStream(s);
      const k = s.deps.keys;
      const now = await redisNow(s.deps);
      const today = periodAt('day', now);
      const longAgo = periodAt('week', now - 200 * DAY);
      const legacy = [k.lbCreatorDay(creator.user.id, today.n), k.lbCreatorWeek(creator.user.id, longAgo.n)];
      // what the older version left: boards and members hashes with no expiry
      for (const board of [...legacy, k.lbCreatorAll(creator.user.id)]) {
        await s.deps.redis.zadd(board, 0, `999999999999989:000000000000001:${creator.user.id}`);
        await s.deps.redis.hset(k.lbMembers(board), creator.user.id, 'x');
      }
      const first = await expireLegacyPeriodBoards(s.deps);
      expect(first.fixed).toBeGreaterThanOrEqual(2); // today's board and its hash (other stories' boards have theirs)
      expect(first.removed).toBeGreaterThanOrEqual(2);
      for (const key of [legacy[0]!, k.lbMembers(legacy[0]!)]) {
        expect(Number(await s.deps.redis.call('PEXPIRETIME', key))).toBe(expectedPeriod('day', now).expiresAt);
      }
      expect(await s.deps.redis.exists(legacy[1]!, k.lbMembers(legacy[1]!))).toBe(0);
      expect(await s.deps.redis.pttl(k.lbCreatorAll(creator.user.id))).toBe(-1);
      expect(await expireLegacyPeriodBoards(s.deps)).toEqual({ fixed: 0, removed: 0 });
    });
  });
});

function pick(p: { start: number | null; end: number | null }) {
  return { start: p.start, end: p.end };
}
