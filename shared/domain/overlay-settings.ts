import { DEFAULT_OVERLAY_SETTINGS, overlaySettings, type OverlaySettings } from '../contracts/overlay-settings';
import { randomUUID } from 'node:crypto';
import type { GiftTier } from '../contracts/catalog';
import type { GiftEvent } from '../contracts/models';
import { listGifts } from './catalog';
import type { Deps } from './deps';

/** A creator's saved overlay settings; the defaults until they save, or if what is stored no longer parses. */
export async function getOverlaySettings(deps: Deps, creatorId: string): Promise<OverlaySettings> {
  const raw = await deps.redis.get(deps.keys.overlaySettings(creatorId));
  if (!raw) return DEFAULT_OVERLAY_SETTINGS;
  try {
    const parsed = overlaySettings.safeParse(JSON.parse(raw));
    // Settings saved by an older version may name a field that was since removed: fall back, never fail the overlay.
    return parsed.success ? parsed.data : DEFAULT_OVERLAY_SETTINGS;
  } catch {
    return DEFAULT_OVERLAY_SETTINGS;
  }
}

/** Replaces the creator's settings as a whole (a PUT): `settings` is already parsed, defaults filled in. */
export async function saveOverlaySettings(deps: Deps, creatorId: string, settings: OverlaySettings): Promise<void> {
  await deps.redis.set(deps.keys.overlaySettings(creatorId), JSON.stringify(settings));
}

/** Each tier's showpiece for a test alert: its most valuable gift, so the biggest animation of the tier plays. */
export function testAlerts(
  creator: { id: string; displayName: string },
  streamId: string,
  tiers: readonly GiftTier[],
  now: number,
): GiftEvent[] {
  return tiers.map((tier, i) => {
    const gift = listGifts()
      .filter((g) => g.tier === tier)
      .reduce((a, b) => (b.coins > a.coins ? b : a));
    const count = tier === 'small' ? 5 : 1;
    return {
      id: `test-${randomUUID()}`,
      streamId,
      sender: { id: creator.id, displayName: 'Test alert' },
      giftId: gift.id,
      giftName: gift.name,
      coins: gift.coins,
      count,
      totalCoins: gift.coins * count,
      combo: count,
      at: now + i,
    };
  });
}
