import type { Battle, BattleSide } from '../../../../shared/contracts/models';
import { serverNow } from './clock';
import { clock, compact, fill, h } from './dom';

/** How long the result stays on screen after a battle ends. */
const RESULT_MS = 12_000;

/**
 * The gift-war bar: both scores as a tug-of-war, the timer, each side's MVP, then the result. "Ours" (left) is the
 * side of the stream this page watches.
 */
export class BattleBar {
  readonly el: HTMLElement;
  private battle: Battle | null = null;
  /** The battle whose side names are on screen (a battle may first arrive pending, then active). */
  private labelled: string | null = null;
  private endedSeenAt = 0;
  private readonly oursName: HTMLElement;
  private readonly theirsName: HTMLElement;
  private readonly oursFill: HTMLElement;
  private readonly oursScore: HTMLElement;
  private readonly theirsScore: HTMLElement;
  private readonly timer: HTMLElement;
  private readonly result: HTMLElement;
  private readonly oursMvp: HTMLElement;
  private readonly theirsMvp: HTMLElement;

  constructor(
    private readonly ourStreamId: () => string | null,
    private readonly nameOf: (streamId: string) => Promise<string>,
  ) {
    this.oursScore = h('span', { class: 'battle-score', 'data-test': 'battle-ours-score' });
    this.theirsScore = h('span', { class: 'battle-score', 'data-test': 'battle-theirs-score' });
    this.oursFill = h('div', { class: 'battle-fill battle-ours' }, this.oursScore);
    this.timer = h('span', { class: 'battle-timer', 'data-test': 'battle-timer' });
    this.result = h('div', { class: 'battle-result', 'data-test': 'battle-result' });
    this.oursName = h('span', { class: 'battle-name' });
    this.theirsName = h('span', { class: 'battle-name' });
    this.oursMvp = h('span', { class: 'battle-mvp' });
    this.theirsMvp = h('span', { class: 'battle-mvp' });
    this.el = h(
      'div',
      { class: 'battle', 'data-test': 'battle-bar', hidden: true },
      h('div', { class: 'battle-head' }, h('span', { class: 'battle-title' }, 'GIFT WAR'), this.timer),
      h(
        'div',
        { class: 'battle-track' },
        this.oursFill,
        h('div', { class: 'battle-fill battle-theirs' }, this.theirsScore),
      ),
      h(
        'div',
        { class: 'battle-sides' },
        h('div', { class: 'battle-side' }, this.oursName, this.oursMvp),
        h('div', { class: 'battle-side battle-side-right' }, this.theirsName, this.theirsMvp),
      ),
      this.result,
    );
  }

  /** A battle from stream:join, battle:started, battle:update or battle:ended; null clears the bar. */
  update(battle: Battle | null): void {
    this.battle = battle;
    if (!battle || (battle.status !== 'active' && battle.status !== 'ended')) {
      this.el.hidden = true;
      return;
    }
    const [ours, theirs] = this.sides(battle);
    if (this.labelled !== battle.id) {
      this.labelled = battle.id;
      this.endedSeenAt = 0;
      this.label(this.oursName, ours.streamId, 'This stream');
      this.label(this.theirsName, theirs.streamId, 'Opponent');
    }
    if (battle.status === 'ended' && !this.endedSeenAt) this.endedSeenAt = Date.now();
    this.oursScore.textContent = compact(ours.score);
    this.theirsScore.textContent = compact(theirs.score);
    // Laplace-smoothed share, clamped so both scores stay readable at any ratio.
    const share = Math.min(0.9, Math.max(0.1, (ours.score + 1) / (ours.score + theirs.score + 2)));
    this.oursFill.style.setProperty('width', `${(share * 100).toFixed(2)}%`);
    this.mvp(this.oursMvp, ours);
    this.mvp(this.theirsMvp, theirs);
    this.el.dataset.state = battle.status;
    this.el.hidden = false;
    if (battle.status === 'ended') {
      const won = battle.winnerStreamId === ours.streamId;
      const draw = !battle.winnerStreamId;
      this.result.textContent = draw ? 'DRAW' : won ? 'VICTORY' : 'DEFEAT';
      if (battle.endReason === 'forfeit') this.result.textContent += ' · forfeit';
      this.result.dataset.outcome = draw ? 'draw' : won ? 'win' : 'loss';
    } else {
      this.result.textContent = '';
      delete this.result.dataset.outcome;
    }
    this.tick();
  }

  /** Called a few times a second: the countdown, and hiding the result after a while. */
  tick(): void {
    const b = this.battle;
    if (!b || this.el.hidden) return;
    if (b.status === 'active') {
      this.timer.textContent = b.endsAt ? clock(Math.min(b.durationSec, (b.endsAt - serverNow()) / 1000)) : '';
    } else {
      this.timer.textContent = 'ended';
      if (this.endedSeenAt && Date.now() - this.endedSeenAt > RESULT_MS) this.el.hidden = true;
    }
  }

  private sides(b: Battle): [BattleSide, BattleSide] {
    const mine = this.ourStreamId();
    return b.sides[1].streamId === mine ? [b.sides[1], b.sides[0]] : [b.sides[0], b.sides[1]];
  }

  private label(el: HTMLElement, streamId: string, fallback: string): void {
    el.textContent = fallback;
    this.nameOf(streamId)
      .then((name) => {
        if (name) el.textContent = name;
      })
      .catch(() => undefined);
  }

  private mvp(el: HTMLElement, side: BattleSide): void {
    if (side.mvp) fill(el, 'MVP ', h('b', {}, side.mvp.displayName), ` · ${compact(side.mvp.coins)}`);
    else fill(el);
  }
}
