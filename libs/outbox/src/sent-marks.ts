/** How long delivered ids wait to share one "sent" update. Far shorter than a lease. */
const FLUSH_AFTER_MS = 50;

/**
 * Marks delivered outbox rows sent in groups: the ids delivered within a short window share one
 * statement (one commit) instead of one per dispatch. Only for rows this process holds leased:
 * if it dies before the update, those rows are delivered again after their lease, which the
 * outbox's handlers tolerate.
 */
export class SentMarks {
  private pending: string[] = [];
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly mark: (ids: string[]) => Promise<void>,
    private readonly onError: (error: unknown, count: number) => void,
  ) {}

  add(ids: string[]): void {
    this.pending.push(...ids);
    this.timer ??= setTimeout(() => void this.flush(), FLUSH_AFTER_MS);
  }

  /** Writes what is pending now (also at shutdown). */
  flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const ids = this.pending;
    this.pending = [];
    if (ids.length === 0) return this.flushing;

    this.flushing = this.flushing
      .then(() => this.mark(ids))
      // The rows keep their lease; the sweep delivers them again once it runs out.
      .catch((error: unknown) => this.onError(error, ids.length));

    return this.flushing;
  }
}
