/**
 * At most `size` sends at once across every chunk a process is working on (PUSH_CONCURRENCY):
 * chunks overlap so that the next one is claimed while the last pushes of the current one are
 * answered, but the push services never see more than `size` requests from this process.
 */
export class SendSlots {
  private free: number;
  private readonly waiting: Array<() => void> = [];

  constructor(size: number) {
    this.free = Math.max(1, size);
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    await this.acquire();
    try {
      return await work();
    } finally {
      this.release();
    }
  }

  private acquire(): Promise<void> {
    if (this.free > 0) {
      this.free -= 1;

      return Promise.resolve();
    }

    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private release(): void {
    const next = this.waiting.shift();
    // The slot passes straight to the next waiter, so nobody can overtake it.
    if (next) next();
    else this.free += 1;
  }
}
