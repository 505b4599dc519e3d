import { readFileSync } from 'node:fs';
import path from 'node:path';
import { packBatch } from '../../../shared/redis/script-batches';
import { testDeps } from '../../../shared/testing/harness';

/**
 * A batch call carries what its gifts share once (script-batches.ts packBatch), and lua/lib/batch.lua gives every
 * gift back its own KEYS and ARGV, in order, as the single script would have them.
 */
const deps = testDeps();
afterAll(() => deps.close());

const BATCH_LUA = readFileSync(path.join(__dirname, '../../../shared/redis/lua/lib/batch.lua'), 'utf8');
/** What lib/batch.lua decodes from a packed call: each gift's { KEYS, ARGV }. */
const unpacked = async (keys: (string | number)[], argv: (string | number)[]) =>
  (await deps.redis.eval(
    `${BATCH_LUA}\nlocal items, err = batch_items()\nif not items then return err end\nreturn items`,
    keys.length,
    ...keys,
    ...argv,
  )) as string[][][];

describe('a batch call sends what its gifts share once', () => {
  // three gifts to one room: two keys and three arguments of their own, the room's key and two settings shared (the
  // keys in one slot, for a Redis Cluster: nothing is read or written)
  const calls = [
    ['{pack}idem:1', '{pack}room:9', '{pack}wallet:1', 'fp-1', '60000', 'alice', '3'],
    ['{pack}idem:2', '{pack}room:9', '{pack}wallet:2', 'fp-2', '60000', 'bob', '3'],
    ['{pack}idem:3', '{pack}room:9', '{pack}wallet:3', 'fp-3', '60000', 'carol', '3'],
  ];

  it('three gifts to one room: the room and the settings go once, and every gift gets back exactly its own', async () => {
    const { keys, argv } = packBatch('giftHoldBatch', 3, calls);
    expect(keys).toEqual([
      '{pack}room:9',
      '{pack}idem:1',
      '{pack}wallet:1',
      '{pack}idem:2',
      '{pack}wallet:2',
      '{pack}idem:3',
      '{pack}wallet:3',
    ]);
    // keys and arguments per gift, gifts, then the varying positions (keys 1 and 3, arguments 1 and 3)
    expect(argv.slice(0, 9)).toEqual([3, 4, 3, 2, 2, 1, 3, 1, 3]);
    expect(argv.length).toBe(9 + 2 + 3 * 2);
    expect(await unpacked(keys, argv)).toEqual(calls.map((c) => [c.slice(0, 3), c.slice(3)]));
  });

  it('a lone gift goes whole, and a value marked as varying goes once per gift even when all are equal', async () => {
    const lone = packBatch('giftHoldBatch', 3, calls.slice(0, 1));
    expect(lone.keys).toEqual(calls[0]!.slice(0, 3));
    expect(await unpacked(lone.keys, lone.argv)).toEqual([[calls[0]!.slice(0, 3), calls[0]!.slice(3)]]);

    const same = [calls[0]!, calls[0]!];
    const marked = packBatch('giftHoldBatch', 3, same, (v) => v === 'alice');
    expect(marked.argv.slice(0, 6)).toEqual([3, 4, 2, 0, 1, 3]);
    expect(await unpacked(marked.keys, marked.argv)).toEqual(same.map((c) => [c.slice(0, 3), c.slice(3)]));
  });

  it('a call whose KEYS and ARGV do not hold whole gifts is refused before any gift runs', async () => {
    const { keys, argv } = packBatch('giftHoldBatch', 3, calls);
    await expect(unpacked(keys.slice(1), argv)).rejects.toThrow('batch: KEYS and ARGV do not hold whole gifts');
    await expect(unpacked(keys, argv.slice(0, -1))).rejects.toThrow('batch: KEYS and ARGV do not hold whole gifts');
    // the varying key positions (argv[5], argv[6]) out of order, then past the gift's keys
    for (const positions of [
      [3, 1],
      [1, 4],
    ]) {
      const bad = [...argv.slice(0, 5), ...positions, ...argv.slice(7)];
      await expect(unpacked(keys, bad)).rejects.toThrow('batch: KEYS and ARGV do not hold whole gifts');
    }
    expect(() => packBatch('giftHoldBatch', 3, [calls[0]!, calls[1]!.slice(1)])).toThrow('calls of different shapes');
  });
});
