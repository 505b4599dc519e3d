import type { LeaderboardItem } from '../../../../shared/contracts/models';
import type { ConnState } from '../lib/socket';
import { compact, fill, formatNumber, h } from '../lib/dom';
import { giftColor, giftIcon } from '../lib/gift-art';
import type { Playing } from './alert-queue';
import type { ComboCard, Others } from './combo-board';

/*
 * DOM for the overlay, designed on a 1920x1080 canvas scaled to the browser source. Every element is redrawn only
 * when its data changes: the render loop runs ten times a second during a gift war.
 */

/** Keeps the 1920x1080 canvas fitted to the window (an OBS source of another size still shows everything). */
export function fitCanvas(canvas: HTMLElement): void {
  const fit = () => {
    const scale = Math.min(window.innerWidth / 1920, window.innerHeight / 1080);
    canvas.style.setProperty('transform', `scale(${scale})`);
  };
  window.addEventListener('resize', fit);
  fit();
}

export class StageView {
  private shownId = -1;
  private node: HTMLElement | null = null;

  constructor(private readonly stage: HTMLElement) {}

  render(p: Playing | null): void {
    const id = p ? p.alert.id : -1;
    if (id === this.shownId) return;
    this.shownId = id;
    if (this.node) {
      const old = this.node;
      old.classList.add('leaving');
      setTimeout(() => old.remove(), 300);
      this.node = null;
    }
    if (!p) return;
    const a = p.alert;
    const node =
      a.kind === 'gift'
        ? h(
            'div',
            { class: `alert tier-${a.tier}`, 'data-test': 'alert', 'data-gift': a.giftId, 'data-count': a.count },
            h('div', { class: 'alert-glow' }),
            a.tier === 'epic' ? particles(giftColor(a.giftId)) : null,
            h('div', { class: 'alert-art' }, giftIcon(a.giftId, a.tier === 'medium' ? 120 : 320)),
            h(
              'div',
              { class: 'alert-text' },
              h('div', { class: 'alert-sender' }, a.sender.displayName),
              h(
                'div',
                { class: 'alert-what' },
                'sent ',
                h('b', {}, a.giftName),
                a.count > 1 ? h('span', { class: 'alert-count' }, ` ×${a.count}`) : null,
              ),
              h('div', { class: 'alert-coins' }, `${formatNumber(a.totalCoins)} coins`),
            ),
          )
        : h(
            'div',
            {
              class: `alert alert-summary tier-${a.tier}`,
              'data-test': 'alert',
              'data-gift': 'summary',
              'data-count': a.count,
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
                ? h(
                    'div',
                    { class: 'alert-coins' },
                    a.top.map((t) => `${t.displayName} ${compact(t.coins)}`).join(' · '),
                  )
                : null,
            ),
          );
    node.style.setProperty('--dur', `${Math.round(p.endsAt - p.startedAt)}ms`);
    node.style.setProperty('--color', a.kind === 'gift' ? giftColor(a.giftId) : '#ffd166');
    this.stage.append(node);
    this.node = node;
  }
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
          { class: 'combo', 'data-test': 'combo', 'data-gift': c.giftId, 'data-sender': c.sender.displayName },
          giftIcon(c.giftId, 64),
          h(
            'div',
            { class: 'combo-text' },
            h('div', { class: 'combo-sender' }, c.sender.displayName),
            h('div', { class: 'combo-gift' }, `sent ${c.giftName}`),
          ),
          count,
        );
        el.style.setProperty('--color', giftColor(c.giftId));
        n = { el, count, bumps: 0 };
        this.nodes.set(c.id, n);
        this.lane.append(el);
      }
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
