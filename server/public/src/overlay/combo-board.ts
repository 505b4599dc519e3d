import type { GiftEvent } from '../../../../shared/contracts/models';

/*
 * Small gifts do not queue: each (sender, gift) gets a card on the side that counts up its streak ("x37") while
 * the sender keeps sending, and fades after `holdMs` of quiet. The board holds `capacity` cards; in a flood, a new
 * streak takes the place of the quietest card only if that card has been shown at least `minShowMs`, otherwise its
 * gifts are folded into one "+N more" counter, so the board never lags or flickers. Pure logic, like the queue.
 */

export interface ComboCard {
  /** Local sequence number: a DOM key. */
  id: number;
  key: string;
  sender: { id: string; displayName: string };
  giftId: string;
  giftName: string;
  /** The sender's current streak in units (GiftEvent.combo of the latest gift). */
  combo: number;
  totalCoins: number;
  createdAt: number;
  updatedAt: number;
  /** Increases at every gift: the view replays the bump animation when it changes. */
  bumps: number;
  /** The server said the streak ended (`streak:ended`): the count is final. */
  ended: boolean;
  test: boolean;
}

export interface Others {
  gifts: number;
  count: number;
  totalCoins: number;
  updatedAt: number;
}

export interface ComboBoardOptions {
  capacity: number;
  holdMs: number;
  minShowMs: number;
  /** How long a card stays once its streak ended. */
  endedHoldMs: number;
}

export const DEFAULT_COMBO_OPTIONS: ComboBoardOptions = {
  capacity: 5,
  holdMs: 4000,
  minShowMs: 1200,
  endedHoldMs: 1500,
};

export class ComboBoard {
  private readonly cards = new Map<string, ComboCard>();
  private othersAcc: Others | null = null;
  private seq = 0;
  private readonly opts: ComboBoardOptions;

  constructor(opts: Partial<ComboBoardOptions> = {}) {
    this.opts = { ...DEFAULT_COMBO_OPTIONS, ...opts };
  }

  /** Adds a gift; returns true when it opened a new card (a new streak on screen). */
  push(g: GiftEvent, now: number, test = false): boolean {
    const key = `${test ? 'test|' : ''}${g.sender.id}|${g.giftId}`;
    let card = this.cards.get(key);
    // One card per streak: a streak's first send has combo === count (the contract's combo counts this send), so
    // it, or any gift after the server ended the streak, opens a new card instead of continuing the old count.
    if (card && (card.ended || g.combo === g.count || g.combo < card.combo)) {
      this.cards.delete(key);
      card = undefined;
    }
    if (card) {
      card.combo = g.combo;
      card.totalCoins += g.totalCoins;
      card.updatedAt = now;
      card.bumps += 1;
      return false;
    }
    if (this.cards.size >= this.opts.capacity) {
      const quietest = [...this.cards.values()].reduce((a, b) => (b.updatedAt < a.updatedAt ? b : a));
      if (now - quietest.updatedAt < this.opts.minShowMs) {
        this.addOthers(1, g.count, g.totalCoins, now);
        return false;
      }
      this.cards.delete(quietest.key);
    }
    this.cards.set(key, {
      id: ++this.seq,
      key,
      sender: { id: g.sender.id, displayName: g.sender.displayName },
      giftId: g.giftId,
      giftName: g.giftName,
      combo: g.combo,
      totalCoins: g.totalCoins,
      createdAt: now,
      updatedAt: now,
      bumps: 1,
      ended: false,
      test,
    });
    return true;
  }

  /**
   * The server's `streak:ended`: the card shows the streak's final count and leaves after `endedHoldMs`, even if
   * frames were folded on the way. Returns whether a card showed that streak.
   */
  end(senderId: string, giftId: string, combo: number, now: number): boolean {
    const card = this.cards.get(`${senderId}|${giftId}`);
    if (!card || card.ended) return false;
    if (combo !== card.combo) card.bumps += 1;
    card.combo = combo;
    card.ended = true;
    card.updatedAt = now - this.opts.holdMs + this.opts.endedHoldMs;
    return true;
  }

  /** Small gifts summed elsewhere (a frame's `rest`). */
  addOthers(gifts: number, count: number, coins: number, now: number): void {
    const o = this.othersAcc ?? { gifts: 0, count: 0, totalCoins: 0, updatedAt: now };
    o.gifts += gifts;
    o.count += count;
    o.totalCoins += coins;
    o.updatedAt = now;
    this.othersAcc = o;
  }

  /** Drops what has been quiet for `holdMs`; returns the cards to show, oldest first (stable positions). */
  prune(now: number): { cards: ComboCard[]; others: Others | null } {
    for (const [k, c] of this.cards) if (now - c.updatedAt > this.opts.holdMs) this.cards.delete(k);
    if (this.othersAcc && now - this.othersAcc.updatedAt > this.opts.holdMs) this.othersAcc = null;
    return { cards: [...this.cards.values()].sort((a, b) => a.id - b.id), others: this.othersAcc };
  }
}
