import { randomUUID } from 'node:crypto';
import type { GiftEvent } from '../../../shared/contracts/models';
import type { GiftsFrame } from '../../../shared/contracts/socket';
import type { AcceptedGift } from '../../../shared/domain/gift-types';
import { findGift } from '../../../shared/domain/catalog';
import { emitAck, waitFor } from '../../../shared/testing/harness';
import { startTestServer, type TestServer } from '../support/test-server';
import { isBigGift } from '../../realtime/broadcaster';
import { foldFrame } from '../../realtime/frames';

const STREAM = randomUUID();
let seq = 0;
function gift(sender: string, giftId: string, count = 1, streamId: string = STREAM): GiftEvent {
  const g = findGift(giftId)!;
  seq += 1;
  return {
    id: randomUUID(),
    streamId,
    sender: { id: sender, displayName: sender },
    giftId,
    giftName: g.name,
    coins: g.coins,
    count,
    totalCoins: g.coins * count,
    combo: count,
    at: 1_700_000_000_000 + seq,
  };
}

describe('a tick of gifts becomes one frame, folded only past the frame limit', () => {
  it('up to the limit every gift is its own item, in acceptance order', () => {
    const items = [gift('ann', 'rose'), gift('ann', 'rose'), gift('bob', 'rose')];
    expect(foldFrame(STREAM, items, 3, isBigGift)).toEqual({ streamId: STREAM, items });
  });

  it('past the limit, same sender and gift fold into one item: counts and totals summed, id of the last one', () => {
    const a1 = gift('ann', 'rose', 2);
    const b1 = gift('bob', 'perfume');
    const a2 = gift('ann', 'rose', 3);
    const c1 = gift('cat', 'rose');
    const frame = foldFrame(STREAM, [a1, b1, a2, c1], 3, isBigGift);
    expect(frame.rest).toBeUndefined();
    expect(frame.items).toEqual([b1, { ...a2, count: 5, totalCoins: 5 }, c1]);
  });

  it('still too many: the most valuable items stay and the others are summed into rest', () => {
    const items = [
      gift('a', 'rose', 4),
      gift('b', 'perfume'),
      gift('c', 'doughnut'),
      gift('d', 'rose'),
      gift('e', 'finger-heart', 2),
    ];
    const frame = foldFrame(STREAM, items, 2, isBigGift);
    // perfume (20) and doughnut (30) are the most valuable; they stay in acceptance order
    expect(frame.items).toEqual([items[1], items[2]]);
    expect(frame.rest).toEqual({ gifts: 4 + 1 + 2, coins: 4 + 1 + 10 });
  });

  it('big gifts are kept before any small one, and a frame never passes the limit', () => {
    const items = [gift('a', 'universe'), gift('b', 'doughnut'), gift('c', 'galaxy'), gift('d', 'perfume')];
    const frame = foldFrame(STREAM, items, 2, isBigGift);
    expect(frame.items.map((i) => i.giftId)).toEqual(['universe', 'galaxy']);
    expect(frame.rest).toEqual({ gifts: 2, coins: 50 });
  });

  it('only when one tick holds more big items than the limit do the least valuable of them reach rest', () => {
    const items = [gift('a', 'galaxy'), gift('b', 'universe'), gift('c', 'doughnut'), gift('d', 'lion')];
    const frame = foldFrame(STREAM, items, 2, isBigGift);
    expect(frame.items.map((i) => i.giftId)).toEqual(['universe', 'lion']);
    expect(frame.rest).toEqual({ gifts: 2, coins: 1000 + 30 });
  });
});

describe('the broadcaster sends one frame per room per tick', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer({ frameLimit: 5, frameTickMs: 30 });
  });
  afterAll(() => s.close());

  async function liveStream() {
    const creator = await s.createUser();
    const streamId = (await s.request('POST', '/v1/streams', { token: creator.token, body: { title: 'frames' } })).body
      .stream.id as string;
    const creatorSock = await s.connect({ token: creator.token });
    const watcher = await s.connect();
    await emitAck(creatorSock, 'stream:join', { streamId });
    await emitAck(watcher, 'stream:join', { streamId });
    const frames = { creator: [] as GiftsFrame[], watcher: [] as GiftsFrame[] };
    creatorSock.on('gifts', (f) => frames.creator.push(f));
    watcher.on('gifts', (f) => frames.watcher.push(f));
    return { streamId, frames };
  }

  function announce(gifts: GiftEvent[]) {
    for (const g of gifts) {
      const a: AcceptedGift = {
        gift: g,
        wallet: { coins: 0, heldCoins: 0 },
        replay: false,
        creatorId: '',
        goalId: null,
        announceGoalReached: false,
        battleId: null,
        seq: ++seq,
      };
      s.giftwire.ctx.events.emit('gift:accepted', a);
    }
  }

  it('a small tick reaches creator and watchers as the same single frame', async () => {
    const { streamId, frames } = await liveStream();
    const gifts = [
      gift('ann', 'rose', 1, streamId),
      gift('bob', 'rose', 1, streamId),
      gift('ann', 'rose', 1, streamId),
    ];
    announce(gifts);
    await waitFor(
      () => frames.watcher.length + frames.creator.length,
      (n) => n === 2,
    );
    expect(frames.watcher).toEqual([{ streamId, items: gifts }]);
    expect(frames.creator).toEqual([{ streamId, items: gifts }]);
  });

  it('past the limit, watchers get the folded frame and the creator every gift unfolded', async () => {
    const { streamId, frames } = await liveStream();
    const gifts = Array.from({ length: 20 }, (_, i) => gift(i % 2 ? 'ann' : 'bob', 'rose', 1, streamId));
    announce(gifts);
    await waitFor(
      () => frames.watcher.length + frames.creator.length,
      (n) => n === 2,
    );
    expect(frames.creator).toEqual([{ streamId, items: gifts }]);
    expect(frames.watcher[0]!.items.map((i) => [i.sender.id, i.count, i.id])).toEqual([
      ['bob', 10, gifts[18]!.id],
      ['ann', 10, gifts[19]!.id],
    ]);
  });
});
