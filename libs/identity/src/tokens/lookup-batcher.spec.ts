import { describe, expect, it } from 'vitest';
import { LookupBatcher } from './lookup-batcher';

/** A lookup whose queries end when the test says so, recording the keys of each. */
function controlledLookup() {
  const queries: { keys: string[]; end: () => void }[] = [];
  const lookup = (keys: string[]) =>
    new Promise<Map<string, string>>((resolve) => {
      queries.push({ keys, end: () => resolve(new Map(keys.map((key) => [key, `row ${key}`]))) });
    });

  return { queries, lookup };
}

const turn = () => new Promise((resolve) => setImmediate(resolve));

describe('LookupBatcher', () => {
  it('asks for the keys of one turn in one query, and answers each key', async () => {
    const { queries, lookup } = controlledLookup();
    const batcher = new LookupBatcher(lookup);
    const answers = Promise.all(['a', 'b', 'a'].map((key) => batcher.get(key)));
    await turn();
    expect(queries.map((query) => query.keys)).toEqual([['a', 'b']]);
    queries[0].end();
    expect(await answers).toEqual(['row a', 'row b', 'row a']);
  });

  it('never answers a key from a query that started before it was asked for', async () => {
    const { queries, lookup } = controlledLookup();
    const batcher = new LookupBatcher(lookup, 1);
    const first = batcher.get('a');
    await turn();
    const again = batcher.get('a');
    const other = batcher.get('b');
    await turn();
    expect(queries).toHaveLength(1);

    queries[0].end();
    expect(await first).toBe('row a');
    await turn();
    expect(queries.map((query) => query.keys)).toEqual([['a'], ['a', 'b']]);
    queries[1].end();
    expect(await Promise.all([again, other])).toEqual(['row a', 'row b']);
  });

  it('rejects every key of a failed query and keeps serving', async () => {
    let fail = true;
    const batcher = new LookupBatcher<string, string>(async (keys) => {
      if (fail) throw new Error('database down');

      return new Map(keys.filter((key) => key === 'a').map((key) => [key, key]));
    });
    await expect(batcher.get('a')).rejects.toThrow('database down');
    fail = false;
    expect(await batcher.get('a')).toBe('a');
    expect(await batcher.get('b')).toBeUndefined();
  });
});
