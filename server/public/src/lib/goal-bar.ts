import type { Goal } from '../../../../shared/contracts/models';
import { compact, h } from './dom';

/*
 * The stream goal's progress bar, on the overlay (its own widget too) and on the viewer page. It follows the
 * contract's goal events (`goal:update`, `goal:reached`, the `goal` of the stream:join answer) and stays hidden
 * while there is no goal.
 */
export class GoalBar {
  readonly el = h('div', { class: 'goal', 'data-test': 'goal-bar', hidden: true });
  private readonly title = h('span', { class: 'goal-title', 'data-test': 'goal-title' });
  private readonly numbers = h('span', { class: 'goal-numbers', 'data-test': 'goal-numbers' });
  private readonly fill = h('div', { class: 'goal-fill' });
  private goal: Goal | null = null;

  constructor() {
    this.el.append(
      h('div', { class: 'goal-head' }, this.title, this.numbers),
      h('div', { class: 'goal-track' }, this.fill),
    );
  }

  /** A newer state of the goal (or null: none); an older update of the same goal arriving late is ignored. */
  update(goal: Goal | null | undefined): void {
    if (goal && this.goal?.id === goal.id && goal.progressCoins < this.goal.progressCoins) return;
    this.goal = goal && goal.status !== 'ended' ? goal : null;
    const g = this.goal;
    this.el.hidden = !g;
    if (!g) return;
    this.el.dataset.status = g.status;
    this.title.textContent = g.status === 'reached' ? `${g.title} · reached!` : g.title;
    this.numbers.textContent = `${compact(g.progressCoins)} / ${compact(g.targetCoins)}`;
    this.fill.style.width = `${Math.min(100, (g.progressCoins / g.targetCoins) * 100).toFixed(2)}%`;
  }
}
