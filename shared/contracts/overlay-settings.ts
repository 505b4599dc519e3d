import { z } from 'zod';
import type { GiftTier } from './catalog';
import type { GiftEvent } from './models';

/*
 * How a creator's overlay looks and sounds, edited on /studio and saved per creator:
 * `GET|PUT /v1/overlay-settings` (the creator's token), `GET /v1/overlay/settings` (header X-Overlay-Key, for the
 * overlay itself). A save reaches open overlays at once as `overlay:settings`.
 */

export const TIERS = ['small', 'medium', 'large', 'epic'] as const satisfies readonly GiftTier[];

/** Sounds the overlay synthesises with the Web Audio API: nothing to download, nothing to license. */
export const SOUNDS = ['none', 'pop', 'chime', 'coins', 'fanfare', 'cosmic'] as const;
export type SoundName = (typeof SOUNDS)[number];

/** Font stacks of fonts found on streaming PCs: no web fonts to fetch. */
export const FONTS = ['sans', 'rounded', 'serif', 'mono', 'impact'] as const;
export type FontName = (typeof FONTS)[number];

/** Where alerts play on the 1920x1080 canvas (the combo lane, top gifters and battle bar keep their places). */
export const POSITIONS = ['top', 'center', 'bottom'] as const;

const color = z.string().regex(/^#[0-9a-f]{6}$/i, 'expected a colour such as #ffd166');
const text = (max: number) =>
  z
    .string()
    .max(max)
    // Shown on stream: no control or bidirectional-override characters (as displayName).
    .refine((s) => !/[\p{Cc}\u202a-\u202e\u2066-\u2069]/u.test(s), 'no control characters');

/**
 * A variation replaces the standard alert for matching gifts: those of `giftId` (when set) whose total (price x
 * count) reaches `minCoins` (when set). Of the variations that match, one naming the gift wins over one that does
 * not, then the higher `minCoins`: "Universe" beats "10,000 coins and up", which beats "1,000 coins and up".
 */
export const alertVariation = z
  .object({
    giftId: z
      .string()
      .regex(/^[a-z0-9-]{1,40}$/)
      .optional(),
    minCoins: z.number().int().min(1).max(1_000_000_000).optional(),
    /** Words under the sender's name; `{name}`, `{gift}`, `{count}` and `{coins}` are filled in. */
    message: text(80).default(''),
    sound: z.enum(SOUNDS).optional(),
    color: color.optional(),
    /** Plays the alert this many times longer (or shorter). */
    durationScale: z.number().min(0.5).max(3).default(1),
  })
  .strict()
  .refine((v) => v.giftId !== undefined || v.minCoins !== undefined, 'a variation needs giftId or minCoins');
export type AlertVariation = z.infer<typeof alertVariation>;

export const overlaySettings = z
  .object({
    /** Gifts whose total is below this play no alert (streak counters of small gifts are kept). */
    minCoins: z.number().int().min(0).max(1_000_000_000).default(0),
    position: z.enum(POSITIONS).default('center'),
    font: z.enum(FONTS).default('sans'),
    /** Colour of the sender's name and the glow when no gift colour applies. */
    accentColor: color.default('#ff5c8a'),
    textColor: color.default('#ffffff'),
    muted: z.boolean().default(false),
    /** 0..100 */
    volume: z.number().int().min(0).max(100).default(70),
    sounds: z
      .object({
        small: z.enum(SOUNDS).default('pop'),
        medium: z.enum(SOUNDS).default('chime'),
        large: z.enum(SOUNDS).default('fanfare'),
        epic: z.enum(SOUNDS).default('cosmic'),
      })
      .strict()
      .default({ small: 'pop', medium: 'chime', large: 'fanfare', epic: 'cosmic' }),
    variations: z.array(alertVariation).max(20).default([]),
  })
  .strict();
export type OverlaySettings = z.infer<typeof overlaySettings>;

export const DEFAULT_OVERLAY_SETTINGS: OverlaySettings = overlaySettings.parse({});

/** `GET|PUT /v1/overlay-settings`, `GET /v1/overlay/settings` answer. */
export interface OverlaySettingsResponse {
  settings: OverlaySettings;
}

/** `POST /v1/overlay/test-alert` body: one tier, or every tier one after another. */
export const testAlertBody = z.object({ tier: z.enum(TIERS).optional() }).strict();

/** `overlay:test` to the creator's overlays only: alerts that look real, marked as tests, that moved no money. */
export interface TestAlertEvent {
  test: true;
  items: GiftEvent[];
}

/** The variation that applies to a gift of `giftId` worth `totalCoins`, if any. */
export function pickVariation(
  settings: Pick<OverlaySettings, 'variations'>,
  giftId: string,
  totalCoins: number,
): AlertVariation | null {
  const rank = (v: AlertVariation) => (v.giftId ? 2e9 : 0) + (v.minCoins ?? 0);
  let best: AlertVariation | null = null;
  for (const v of settings.variations) {
    if (v.giftId !== undefined && v.giftId !== giftId) continue;
    if (v.minCoins !== undefined && totalCoins < v.minCoins) continue;
    if (!best || rank(v) > rank(best)) best = v;
  }
  return best;
}
