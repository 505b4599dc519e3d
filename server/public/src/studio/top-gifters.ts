import type { LeaderboardPeriod, LeaderboardPeriodInfo } from '../../../../shared/contracts/leaderboards';
import type { LeaderboardItem } from '../../../../shared/contracts/models';
import { ApiError } from '../../../../shared/contracts/api-error';
import { api, describeError } from '../lib/api';
import { byId, fill, h } from '../lib/dom';

/*
 * The studio's "Top gifters" card: the creator's board for an hour, day, week, month or all time, stepping back to
 * earlier periods (GET /v1/creators/:id/leaderboard?period=&at=), paged with "More" (nextCursor).
 */

type Answer = { items: LeaderboardItem[]; period: LeaderboardPeriodInfo; nextCursor: string | null };

const utc = (ms: number, withTime: boolean) =>
  new Date(ms)
    .toISOString()
    .slice(0, withTime ? 16 : 10)
    .replace('T', ' ');

/** "2026-12-02 01:00 – 02:00 UTC", "week of 2026-11-30", ... */
function describePeriod(p: LeaderboardPeriodInfo): string {
  if (p.start === null || p.end === null) return 'All time';
  switch (p.name) {
    case 'hour':
      return `${utc(p.start, true)} – ${utc(p.end, true).slice(11)} UTC`;
    case 'day':
      return `${utc(p.start, false)} (UTC)`;
    case 'week':
      return `Week of ${utc(p.start, false)} (from Monday, UTC)`;
    default:
      return utc(p.start, false).slice(0, 7);
  }
}

export class TopGifters {
  private creatorId: string | null = null;
  /** The moment that picks the period shown; undefined: now. */
  private at: number | undefined;
  private period: LeaderboardPeriodInfo | null = null;
  private cursor: string | null = null;
  private readonly select = byId<HTMLSelectElement>('lb-period');
  private readonly rows = byId('lb-rows');
  private readonly more = byId<HTMLButtonElement>('lb-more');
  private readonly range = byId('lb-range');
  private readonly note = byId('lb-note');

  constructor() {
    this.select.addEventListener('change', () => this.load(undefined));
    byId('lb-earlier').addEventListener('click', () => {
      if (this.period && this.period.start !== null) this.load(this.period.start - 1);
    });
    byId('lb-later').addEventListener('click', () => {
      if (this.period && this.period.end !== null) this.load(this.period.end);
    });
    this.more.addEventListener('click', () => void this.page(true));
  }

  show(creatorId: string | null): void {
    this.creatorId = creatorId;
    if (creatorId) this.load(undefined);
  }

  private load(at: number | undefined): void {
    this.at = at;
    this.cursor = null;
    void this.page(false);
  }

  private async page(append: boolean): Promise<void> {
    if (!this.creatorId) return;
    const q = new URLSearchParams({ period: this.select.value as LeaderboardPeriod, limit: '10' });
    if (this.at !== undefined) q.set('at', String(this.at));
    if (append && this.cursor) q.set('cursor', this.cursor);
    try {
      const res = await api<Answer>('GET', `/v1/creators/${encodeURIComponent(this.creatorId)}/leaderboard?${q}`);
      this.period = res.period;
      this.cursor = res.nextCursor;
      this.range.textContent = describePeriod(res.period);
      this.note.textContent = res.items.length === 0 && !append ? 'No gifts in this period.' : '';
      const items = res.items.map((it) =>
        h(
          'li',
          { 'data-test': 'lb-row', 'data-rank': String(it.rank) },
          h('span', { class: 'rank' }, `#${it.rank}`),
          h('span', { class: 'name' }, it.displayName),
          h('span', { class: 'coins' }, `${it.coins.toLocaleString('en')} coins`),
        ),
      );
      if (append) this.rows.append(...items);
      else fill(this.rows, ...items);
      this.more.hidden = res.nextCursor === null;
      byId<HTMLButtonElement>('lb-later').disabled = this.at === undefined || res.period.end === null;
      byId<HTMLButtonElement>('lb-earlier').disabled = res.period.start === null;
    } catch (err) {
      // a period past its retention is refused, not shown empty: say so and stay where we were
      this.note.textContent =
        err instanceof ApiError && err.code === 'VALIDATION_FAILED'
          ? 'That period is no longer kept (hours 48 h, days 35 days, weeks 10 weeks, months 13 months).'
          : describeError(err);
      this.note.dataset.kind = 'error';
      return;
    }
    this.note.dataset.kind = '';
  }
}
