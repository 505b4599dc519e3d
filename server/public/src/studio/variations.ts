import type { Gift } from '../../../../shared/contracts/catalog';
import { SOUNDS, type AlertVariation } from '../../../../shared/contracts/overlay-settings';
import { fill, h } from '../lib/dom';

/*
 * The studio's variations editor: one row per variation (a gift or "any gift", a minimum, words, sound, colour,
 * length). Rows hold their own inputs; read() turns them back into the contract's shape for the PUT.
 */

type Input = HTMLInputElement | HTMLSelectElement;

export class VariationsEditor {
  private rows: Array<{ el: HTMLElement; read: () => AlertVariation }> = [];
  private gifts: Gift[] = [];

  constructor(private readonly box: HTMLElement) {}

  setGifts(gifts: Gift[]): void {
    this.gifts = gifts;
  }

  show(variations: AlertVariation[]): void {
    this.rows = [];
    fill(this.box);
    for (const v of variations) this.add(v);
  }

  add(v: Partial<AlertVariation> = { minCoins: 1000 }): void {
    const gift = h(
      'select',
      { 'data-test': 'variation-gift', 'aria-label': 'Gift' },
      h('option', { value: '' }, 'Any gift'),
      ...this.gifts.map((g) => h('option', { value: g.id, selected: g.id === v.giftId }, `${g.name} (${g.coins})`)),
    );
    const min = h('input', {
      type: 'number',
      min: 1,
      placeholder: 'min coins',
      value: v.minCoins ?? '',
      'data-test': 'variation-min',
      'aria-label': 'Minimum coins',
    });
    const message = h('input', {
      maxlength: 80,
      placeholder: '{name} is a legend!',
      value: v.message ?? '',
      'data-test': 'variation-message',
      'aria-label': 'Words',
    });
    const sound = h(
      'select',
      { 'data-test': 'variation-sound', 'aria-label': 'Sound' },
      h('option', { value: '' }, 'tier sound'),
      ...SOUNDS.map((s) => h('option', { value: s, selected: s === v.sound }, s)),
    );
    const useColor = h('input', { type: 'checkbox', checked: !!v.color, 'aria-label': 'Own colour' });
    const color = h('input', { type: 'color', value: v.color ?? '#ffd166', 'aria-label': 'Colour' });
    const scale = h(
      'select',
      { 'aria-label': 'Length', 'data-test': 'variation-scale' },
      ...[0.5, 1, 1.5, 2, 3].map((x) =>
        h('option', { value: x, selected: x === (v.durationScale ?? 1) }, `${x}× long`),
      ),
    );
    const el = h('div', { class: 'variation row wrap', 'data-test': 'variation' });
    const remove = h('button', { type: 'button', 'data-test': 'variation-remove' }, 'Remove');
    remove.addEventListener('click', () => {
      this.rows = this.rows.filter((r) => r.el !== el);
      el.remove();
    });
    el.append(gift, min, message, sound, h('label', { class: 'check' }, useColor, color), scale, remove);
    const val = (i: Input) => i.value.trim();
    const read = (): AlertVariation => ({
      ...(val(gift) ? { giftId: val(gift) } : {}),
      ...(val(min) ? { minCoins: Number(val(min)) } : {}),
      message: message.value,
      ...(val(sound) ? { sound: val(sound) as AlertVariation['sound'] } : {}),
      ...(useColor.checked ? { color: color.value } : {}),
      durationScale: Number(scale.value),
    });
    this.rows.push({ el, read });
    this.box.append(el);
  }

  read(): AlertVariation[] {
    return this.rows.map((r) => r.read());
  }
}
