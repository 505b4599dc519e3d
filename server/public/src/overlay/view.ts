import type { LeaderboardItem } from '../../../../shared/contracts/models';
import type { ConnState } from '../lib/socket';
import { compact, fill, formatNumber, h } from '../lib/dom';
import { giftColor, giftIcon } from '../lib/gift-art';
import type { GiftAlert, Playing, SummaryAlert } from './alert-queue';
import type { ComboCard, Others } from './combo-board';

/*
 * DOM for the overlay, designed on a 1920x1080 canvas scaled to the browser source. Every element is redrawn only
 * when its data changes: the render loop runs ten times a second during a gift war.
 */

/**
 * Keeps a canvas designed at its CSS size (1920x1080, or a widget's own size) fitted to the window, or to `box`
 * on the viewer page: an OBS source of another size still shows everything.
 */
export function fitCanvas(canvas: HTMLElement, box?: HTMLElement): void {
  const fit = () => {
    const w = box ? box.clientWidth : window.innerWidth;
    const ht = box ? box.clientHeight : window.innerHeight;
    const scale = Math.min(w / canvas.offsetWidth, ht / canvas.offsetHeight);
    canvas.style.setProperty('transform', `scale(${scale})`);
  };
  if (box) new ResizeObserver(fit).observe(box);
  else window.addEventListener('resize', fit);
  fit();
}

export class StageView {
  private shownId = -1;
  private node: HTMLElement | null = null;

  constructor(private readonly stage: HTMLElement) {}

  /** Shows what plays now; returns the new alert's node when one just started. */
  render(p: Playing | null): HTMLElement | null {
    const id = p ? p.alert.id : -1;
    if (id === this.shownId) return null;
    this.shownId = id;
    if (this.node) {
      const old = this.node;
      old.classList.add('leaving');
      setTimeout(() => old.remove(), 300);
      this.node = null;
    }
    if (!p) return null;
    const a = p.alert;
    const node = a.kind === 'gift' ? giftAlertNode(a) : summaryNode(a);
    node.style.setProperty('--dur', `${Math.round(p.endsAt - p.startedAt)}ms`);
    node.style.setProperty('--color', a.kind === 'gift' ? (a.style.color ?? giftColor(a.giftId)) : 'var(--accent)');
    this.stage.append(node);
    this.node = node;
    return node;
  }
}

/** Fills a variation's message: {name}, {gift}, {count}, {coins}. */
function fillMessage(a: GiftAlert, message: string): string {
  const vars: Record<string, string> = {
    name: a.sender.displayName,
    gift: a.giftName,
    count: formatNumber(a.count),
    coins: formatNumber(a.totalCoins),
  };
  return message.replace(/\{(name|gift|count|coins)\}/g, (_, k: string) => vars[k] ?? '');
}

function giftAlertNode(a: GiftAlert): HTMLElement {
  return h(
    'div',
    {
      class: `alert tier-${a.tier}${a.style.test ? ' is-test' : ''}`,
      'data-test': 'alert',
      'data-gift': a.giftId,
      'data-count': a.count,
      'data-tier': a.tier,
      'data-test-alert': a.style.test ? 'yes' : null,
    },
    h('div', { class: 'alert-glow' }),
    a.tier === 'epic' ? particles(a.style.color ?? giftColor(a.giftId)) : null,
    h('div', { class: 'alert-art' }, giftIcon(a.giftId, a.tier === 'medium' ? 120 : 320)),
    h(
      'div',
      { class: 'alert-text' },
      a.style.test
        ? h('div', { class: 'alert-test-tag', 'data-test': 'test-tag' }, 'TEST ALERT · no coins moved')
        : null,
      h('div', { class: 'alert-sender' }, a.sender.displayName),
      h(
        'div',
        { class: 'alert-what' },
        'sent ',
        h('b', {}, a.giftName),
        a.count > 1 ? h('span', { class: 'alert-count' }, ` ×${a.count}`) : null,
      ),
      a.style.message
        ? h('div', { class: 'alert-message', 'data-test': 'alert-message' }, fillMessage(a, a.style.message))
        : null,
      h('div', { class: 'alert-coins' }, `${formatNumber(a.totalCoins)} coins`),
    ),
  );
}

function summaryNode(a: SummaryAlert): HTMLElement {
  return h(
    'div',
    {
      class: `alert alert-summary tier-${a.tier}`,
      'data-test': 'alert',
      'data-gift': 'summary',
      'data-count': a.count,
      'data-tier': a.tier,
    },
    h('div', { class: 'alert-glow' }),
    h('div', { class: 'alert-art' }, giftIcon('', a.tier === 'medium' ? 120 : 320)),
    h(
      'div',
      { class: 'alert-text' },
      h('div', { class: 'alert-sender' }, 'Gift storm!'),
      h(
        'div',
        { class: 'alert-what' },
        h('b', {}, `${formatNumber(a.gifts)} gifts`),
        ` · ${compact(a.totalCoins)} coins`,
      ),
      a.top.length
        ? h('div', { class: 'alert-coins' }, a.top.map((t) => `${t.displayName} ${compact(t.coins)}`).join(' · '))
        : null,
    ),
  );
}

function particles(color: string): HTMLElement {
  const box = h('div', { class: 'particles' });
  for (let i = 0; i < 28; i++) {
    const p = h('i');
    const angle = (i / 28) * Math.PI * 2;
    const dist = 380 + (i % 4) * 90;
    p.style.setProperty('--dx', `${Math.round(Math.cos(angle) * dist)}px`);
    p.style.setProperty('--dy', `${Math.round(Math.sin(angle) * dist)}px`);
    p.style.setProperty('--delay', `${(i % 7) * 90}ms`);
    p.style.setProperty('--c', i % 3 === 0 ? '#ffffff' : color);
    box.append(p);
  }
  return box;
}

export class ComboView {
  private readonly nodes = new Map<number, { el: HTMLElement; count: HTMLElement; bumps: number }>();
  private othersEl: HTMLElement | null = null;

  constructor(private readonly lane: HTMLElement) {}

  render(cards: ComboCard[], others: Others | null): void {
    const live = new Set(cards.map((c) => c.id));
    for (const [id, n] of this.nodes) {
      if (live.has(id)) continue;
      this.nodes.delete(id);
      n.el.classList.add('leaving');
      setTimeout(() => n.el.remove(), 300);
    }
    for (const c of cards) {
      let n = this.nodes.get(c.id);
      if (!n) {
        const count = h('span', { class: 'combo-count', 'data-test': 'combo-count' });
        const el = h(
          'div',
          {
            class: `combo${c.test ? ' is-test' : ''}`,
            'data-test': 'combo',
            'data-gift': c.giftId,
            'data-sender': c.sender.displayName,
            'data-test-alert': c.test ? 'yes' : null,
          },
          giftIcon(c.giftId, 64),
          h(
            'div',
            { class: 'combo-text' },
            h('div', { class: 'combo-sender' }, c.sender.displayName),
            h('div', { class: 'combo-gift' }, c.test ? `test · ${c.giftName}` : `sent ${c.giftName}`),
          ),
          count,
        );
        el.style.setProperty('--color', giftColor(c.giftId));
        n = { el, count, bumps: 0 };
        this.nodes.set(c.id, n);
        this.lane.append(el);
      }
      n.el.dataset.ended = c.ended ? 'yes' : 'no';
      if (n.bumps !== c.bumps) {
        n.bumps = c.bumps;
        n.count.textContent = `×${c.combo}`;
        // Replays the bump: removing the class, forcing a style flush, adding it back.
        n.count.classList.remove('bump');
        void n.count.offsetWidth;
        n.count.classList.add('bump');
      }
    }
    if (others) {
      if (!this.othersEl) {
        this.othersEl = h('div', { class: 'combo combo-others', 'data-test': 'combo-others' });
        this.lane.append(this.othersEl);
      }
      this.othersEl.textContent = `+${formatNumber(others.gifts)} more gifts · ${compact(others.totalCoins)} coins`;
    } else if (this.othersEl) {
      this.othersEl.remove();
      this.othersEl = null;
    }
  }
}

export function renderTopGifters(el: HTMLElement, items: LeaderboardItem[]): void {
  el.hidden = items.length === 0;
  fill(
    el,
    h('div', { class: 'top-title' }, 'Top gifters'),
    ...items
      .slice(0, 5)
      .map((it) =>
        h(
          'div',
          { class: `top-row rank-${it.rank}`, 'data-test': 'top-row' },
          h('span', { class: 'top-rank' }, String(it.rank)),
          h('span', { class: 'top-name' }, it.displayName),
          h('span', { class: 'top-coins' }, compact(it.coins)),
        ),
      ),
  );
}

const CONN_TEXT: Record<ConnState | 'waiting' | 'ended', string> = {
  connecting: 'connecting',
  connected: 'live',
  reconnecting: 'reconnecting',
  refused: 'key rejected',
  waiting: 'waiting for the stream',
  ended: 'stream ended',
};

export type OverlayState = keyof typeof CONN_TEXT;

export function renderConn(el: HTMLElement, state: OverlayState, detail?: string): void {
  el.dataset.state = state;
  el.title = detail ?? '';
  el.querySelector('span')!.textContent = CONN_TEXT[state];
}
