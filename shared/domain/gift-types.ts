import type { GiftEvent } from '../contracts/models';
import type { User } from '../contracts/users';

/**
 * The interface between the socket layer (gift:send) and the phases of a gift (acceptGift in
 * shared/domain/gifts.ts, backed by lua/gift-hold-6.lua and lua/gift-room-11.lua).
 */
export interface AcceptGiftInput {
  /**
   * The socket's verified user (token already checked; acceptGift checks the age). May be a cached record: the wallet
   * phase reads the account's revocation and suspension itself.
   */
  sender: User;
  streamId: string;
  giftId: string;
  count: number;
  idempotencyKey: string;
  /**
   * When the send comes with a user token: its issue time (ms), refused when the account's tokens were revoked at or
   * after it. Absent for calls that act for a user without a token of theirs (tools, tests of other phases).
   */
  tokenIssuedAt?: number;
}

export interface AcceptedGift {
  gift: GiftEvent;
  wallet: { coins: number; heldCoins: number };
  /** True when this is an idempotent repeat: nothing moved, nothing to broadcast or enqueue again. */
  replay: boolean;
  creatorId: string;
  /** The battle whose score this gift counted towards, if any. */
  battleId: string | null;
  /** The gift's order in its room (the room's own counter): frames list a room's gifts in this order. */
  seq: number;
  /** The goal this gift counted in, if any (its `goal:update` is due). */
  goalId: string | null;
  /** This acceptance ran the room phase in which the gift reached that goal: it announces `goal:reached`. */
  announceGoalReached: boolean;
}
