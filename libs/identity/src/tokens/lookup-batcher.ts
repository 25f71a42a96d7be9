/** Runs one lookup for many keys: resolves each key to its row, or undefined when none. */
export type BatchLookup<K, V> = (keys: K[]) => Promise<Map<K, V>>;

interface Waiting<V> {
  resolve: (value: V | undefined) => void;
  reject: (error: unknown) => void;
}

/**
 * Groups lookups that arrive together into one query. A key asked for while no query runs is
 * sent at the next turn of the event loop (no added wait when idle); keys asked for while
 * `maxInFlight` queries run wait for one of them to end and then go together. A key is never
 * answered by a query that started before it was asked for, so a check stays as fresh as a
 * query of its own (a logout committed before the request is seen). Keys asked for twice in
 * one batch share its answer.
 */
export class LookupBatcher<K, V> {
  private pending = new Map<K, Waiting<V>[]>();
  private inFlight = 0;
  private scheduled = false;

  constructor(
    private readonly lookup: BatchLookup<K, V>,
    private readonly maxInFlight = 2,
    private readonly maxBatch = 1000,
  ) {}

  get(key: K): Promise<V | undefined> {
    return new Promise((resolve, reject) => {
      const waiting = this.pending.get(key);
      if (waiting) waiting.push({ resolve, reject });
      else this.pending.set(key, [{ resolve, reject }]);
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled || this.inFlight >= this.maxInFlight || this.pending.size === 0) return;

    // One turn of the event loop lets the handshakes read from the same socket batch join.
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.flush();
    });
  }

  private flush(): void {
    while (this.inFlight < this.maxInFlight && this.pending.size > 0) {
      void this.run(this.take());
    }
  }

  private take(): Map<K, Waiting<V>[]> {
    if (this.pending.size <= this.maxBatch) {
      const batch = this.pending;
      this.pending = new Map();

      return batch;
    }

    const batch = new Map<K, Waiting<V>[]>();
    for (const [key, waiting] of this.pending) {
      if (batch.size === this.maxBatch) break;
      batch.set(key, waiting);
      this.pending.delete(key);
    }

    return batch;
  }

  private async run(batch: Map<K, Waiting<V>[]>): Promise<void> {
    this.inFlight += 1;
    try {
      const found = await this.lookup([...batch.keys()]);
      for (const [key, waiting] of batch) {
        for (const { resolve } of waiting) resolve(found.get(key));
      }
    } catch (error) {
      for (const waiting of batch.values()) {
        for (const { reject } of waiting) reject(error);
      }
    } finally {
      this.inFlight -= 1;
      this.schedule();
    }
  }
}
