import type { GiftTier } from '../../../../shared/contracts/catalog';
import type { GiftEvent, StreakEnded } from '../../../../shared/contracts/models';
import {
  DEFAULT_OVERLAY_SETTINGS,
  pickVariation,
  type OverlaySettings,
  type SoundName,
} from '../../../../shared/contracts/overlay-settings';
import { AlertQueue, type AlertStyle } from './alert-queue';
import { ComboBoard } from './combo-board';
import { AlertSounds } from './sounds';
import { ComboView, StageView } from './view';

/*
 * The gift animations, shared by the overlay and the viewer page: alerts one after another, streak cards for small
 * gifts, sounds, all styled by the creator's settings. The caller feeds gifts and calls tick() on its clock.
 */

const FONT_STACKS: Record<OverlaySettings['font'], string> = {
  sans: "'Inter', 'Segoe UI', 'Helvetica Neue', 'DejaVu Sans', Arial, sans-serif",
  rounded: "'Nunito', 'Varela Round', 'Arial Rounded MT Bold', 'Trebuchet MS', 'DejaVu Sans', sans-serif",
  serif: "Georgia, 'Times New Roman', 'DejaVu Serif', serif",
  mono: "'JetBrains Mono', Consolas, 'DejaVu Sans Mono', monospace",
  impact: "Impact, 'Anton', 'Arial Black', 'DejaVu Sans Condensed', sans-serif",
};

export class GiftShow {
  private settings: OverlaySettings = DEFAULT_OVERLAY_SETTINGS;
  private readonly queue = new AlertQueue();
  private readonly combos = new ComboBoard();
  private readonly stageView: StageView;
  private readonly comboView: ComboView;
  readonly sounds = new AlertSounds();
  /** Sounds of alerts that are waiting, by the alert's first gift (played when the alert starts). */
  private readonly soundOf = new Map<string, SoundName>();

  /** `root` carries the settings' colours, font and position; `sound` is off on the viewer page. */
  constructor(
    private readonly root: HTMLElement,
    stage: HTMLElement,
    lane: HTMLElement,
    private readonly sound: boolean,
  ) {
    this.stageView = new StageView(stage);
    this.comboView = new ComboView(lane);
    this.apply(DEFAULT_OVERLAY_SETTINGS);
  }

  /** Takes effect at once: the alert on screen restyles, the next ones follow the new rules. */
  apply(settings: OverlaySettings): void {
    this.settings = settings;
    const r = this.root;
    r.style.setProperty('--accent', settings.accentColor);
    r.style.setProperty('--text', settings.textColor);
    r.style.setProperty('--font', FONT_STACKS[settings.font]);
    r.dataset.position = settings.position;
    r.dataset.font = settings.font;
  }

  gift(g: GiftEvent, tier: GiftTier, now: number, test = false): void {
    const s = this.settings;
    const variation = pickVariation(s, g.giftId, g.totalCoins);
    if (tier === 'small') {
      // A streak shows once its value reaches the minimum; a test always shows.
      if (!test && g.combo * g.coins < s.minCoins) return;
      const opened = this.combos.push(g, now, test);
      if (opened) this.play(variation?.sound ?? s.sounds.small);
      return;
    }
    if (!test && g.totalCoins < s.minCoins) return;
    const style: AlertStyle = { test };
    if (variation) {
      style.scale = variation.durationScale;
      if (variation.message) style.message = variation.message;
      if (variation.color) style.color = variation.color;
    }
    this.queue.pushGift(g, tier, now, style);
    const key = `${test ? 'test|' : ''}${g.sender.id}|${g.giftId}`;
    if (!this.soundOf.has(key)) this.soundOf.set(key, variation?.sound ?? s.sounds[tier]);
  }

  /** Gifts the server summed (a frame's `rest`). */
  rest(gifts: number, coins: number, now: number): void {
    if (coins >= this.settings.minCoins) this.queue.pushSummary(gifts, coins, 'medium', now);
  }

  streakEnded(e: StreakEnded, now: number): void {
    this.combos.end(e.sender.id, e.giftId, e.combo, now);
  }

  tick(now: number): void {
    const node = this.stageView.render(this.queue.tick(now));
    if (node) {
      const a = this.queue.current!.alert;
      let sound: SoundName = this.settings.sounds[a.tier];
      if (a.kind === 'gift') {
        const key = `${a.style.test ? 'test|' : ''}${a.sender.id}|${a.giftId}`;
        sound = this.soundOf.get(key) ?? sound;
        this.soundOf.delete(key);
      }
      node.dataset.sound = this.play(sound);
    }
    const { cards, others } = this.combos.prune(now);
    this.comboView.render(cards, others);
  }

  /** Plays a sound as the settings allow; returns what was played ('muted', 'none' or the sound's name). */
  private play(sound: SoundName): string {
    if (!this.sound) return 'none';
    if (this.settings.muted || this.settings.volume === 0) return 'muted';
    this.sounds.play(sound, this.settings.volume, false);
    this.root.dataset.lastSound = sound;
    return sound;
  }
}
