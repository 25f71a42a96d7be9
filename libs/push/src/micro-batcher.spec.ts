import { describe, expect, it } from 'vitest';
import { MicroBatcher } from './micro-batcher';

describe('MicroBatcher', () => {
  it('flushes concurrent items together and gives each caller its own result', async () => {
    const flushes: number[][] = [];
    const batcher = new MicroBatcher(async (items: number[]) => {
      flushes.push(items);

      return items.map((item) => item * 10);
    });

    const results = await Promise.all([1, 2, 3].map((item) => batcher.add(item)));

    expect(results).toEqual([10, 20, 30]);
    expect(flushes).toEqual([[1, 2, 3]]);
  });

  it('keeps one flush at a time and batches what arrived meanwhile, within maxItems', async () => {
    const flushes: number[][] = [];
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const batcher = new MicroBatcher(async (items: number[]) => {
      flushes.push(items);
      if (flushes.length === 1) await gate;

      return items;
    }, 2);

    const first = batcher.add(1);
    await new Promise((resolve) => setImmediate(resolve));
    const later = [2, 3, 4].map((item) => batcher.add(item));
    release();

    expect(await Promise.all([first, ...later])).toEqual([1, 2, 3, 4]);
    expect(flushes).toEqual([[1], [2, 3], [4]]);
  });

  it('rejects every caller of a failed flush, and flushes again afterwards', async () => {
    let fail = true;
    const batcher = new MicroBatcher(async (items: number[]) => {
      if (fail) throw new Error('database down');

      return items;
    });

    const failed = [1, 2].map((item) => batcher.add(item));
    for (const promise of failed) await expect(promise).rejects.toThrow('database down');
    fail = false;

    expect(await batcher.add(3)).toBe(3);
  });
});
