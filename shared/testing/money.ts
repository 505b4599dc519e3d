import { randomUUID } from 'node:crypto';
import { MAX_GIFT_COUNT } from '../contracts/limits';
import type { User } from '../contracts/users';
import { listGifts } from '../domain/catalog';
import type { Deps } from '../domain/deps';
import { acceptGift } from '../domain/gifts';
import { recharge } from '../domain/recharges';
import { settleGifts } from '../domain/settlement';
import { endStream, startStream } from '../domain/streams';
import { createUser } from '../domain/users';

/**
 * The one set of money fixtures at the domain level: adults, funded viewers, and creators who earn. Test stories
 * earn their money the real way: recharge (sandbox provider), gift, settle.
 */

let n = 0;
export function testAdult(
  deps: Deps,
  over: Partial<{ displayName: string; verified: boolean; followers: number; birthDate: string }> = {},
): Promise<User> {
  n += 1;
  return createUser(deps, { displayName: `person${n}`, birthDate: '1990-05-05', verified: true, ...over });
}

export async function fundViewer(deps: Deps, user: User, coins: number): Promise<void> {
  for (let left = coins; left > 0; left -= 1_000_000) {
    await recharge(deps, {
      user,
      body: { coins: Math.min(left, 1_000_000), payment: { token: 'tok_ok' } },
      idempotencyKey: randomUUID(),
    });
  }
}

/** An adult viewer who bought `coins` coins. */
export async function fundedViewer(deps: Deps, coins: number): Promise<User> {
  const user = await testAdult(deps);
  await fundViewer(deps, user, coins);
  return user;
}

/** Gifts adding up to exactly `coins`, most expensive first (at most MAX_GIFT_COUNT per send). */
export function giftsWorth(coins: number): Array<{ giftId: string; count: number }> {
  const byPrice = [...listGifts()].sort((a, b) => b.coins - a.coins);
  const out: Array<{ giftId: string; count: number }> = [];
  let left = coins;
  while (left > 0) {
    const g = byPrice.find((x) => x.coins <= left)!;
    const count = Math.min(MAX_GIFT_COUNT, Math.floor(left / g.coins));
    out.push({ giftId: g.id, count });
    left -= g.coins * count;
  }
  return out;
}

/** Accepts gifts worth `coins` from `viewer` on `streamId`; returns their ids (held, in the outbox). */
export async function sendGiftsWorth(deps: Deps, viewer: User, streamId: string, coins: number): Promise<string[]> {
  const ids: string[] = [];
  for (const g of giftsWorth(coins)) {
    const a = await acceptGift(deps, {
      sender: viewer,
      streamId,
      giftId: g.giftId,
      count: g.count,
      idempotencyKey: randomUUID(),
    });
    ids.push(a.gift.id);
  }
  return ids;
}

/**
 * The creator earns exactly `diamonds` (at the default rate 1/2, from a balance that received an even number of
 * coins): a funded fan sends gifts worth 2 × diamonds to the creator's stream and they are settled.
 */
export async function earnDiamonds(deps: Deps, creator: User, diamonds: number): Promise<void> {
  const stream = await startStream(deps, creator.id, 'payday');
  const fan = await testAdult(deps);
  await fundViewer(deps, fan, diamonds * 2);
  await settleGifts(deps, await sendGiftsWorth(deps, fan, stream.id, diamonds * 2));
  await endStream(deps, stream.id, creator.id);
}
