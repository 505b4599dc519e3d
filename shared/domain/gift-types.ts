import type { GiftEvent } from '../contracts/models';
import type { User } from '../contracts/users';

/**
 * The interface between the socket layer (gift:send) and the atomic phase of a gift (acceptGift in
 * shared/domain/gifts.ts, backed by lua/gift-accept-*.lua).
 */
export interface AcceptGiftInput {
  /** The socket's verified user (token already checked; acceptGift checks the age). */
  sender: User;
  streamId: string;
  giftId: string;
  count: number;
  idempotencyKey: string;
  /** The rate limiter's verdict; the script applies it last, after every other check (contract precedence). */
  rateLimited: boolean;
  /** Clock of record for this gift (ms); defaults to Date.now(). Decides `at`, the day/week and battle windows. */
  now?: number;
}

export interface AcceptedGift {
  gift: GiftEvent;
  wallet: { coins: number; heldCoins: number };
  /** True when this is an idempotent repeat: nothing moved, nothing to broadcast or enqueue again. */
  replay: boolean;
  creatorId: string;
  /** The battle whose score this gift counted towards, if any. */
  battleId: string | null;
  /** Global acceptance order. */
  seq: number;
}
