export interface BenchOptions {
  /** CI's profile: N around 1,000, one measured round. */
  quick: boolean;
}

export interface Benchmark {
  name: string;
  description: string;
  run(options: BenchOptions): Promise<void>;
}

/** Waits until a server's CPU time stops moving (bounded), so late work is counted too. */
export async function settle(
  cpu: () => Promise<{ cpuMs: number }>,
  options: { quietMs?: number; intervalMs?: number; maxMs?: number } = {},
): Promise<number> {
  const { quietMs = 1, intervalMs = 60, maxMs = 5000 } = options;
  const deadline = Date.now() + maxMs;
  let last = (await cpu()).cpuMs;
  while (Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
    const current = (await cpu()).cpuMs;
    if (current - last < quietMs) return current;
    last = current;
  }

  return last;
}

/**
 * The sizes named in an environment variable (`FANOUT_SIZES=5000,10000`), in rising order and
 * within the benchmark's limits, or undefined when it names none: for a machine or a time
 * budget that cannot hold every size of the full profile.
 */
export function sizesFromEnv(variable: string, min: number, max: number): number[] | undefined {
  const sizes = (process.env[variable] ?? '')
    .split(',')
    .map(Number)
    .filter((n) => Number.isInteger(n) && n >= min && n <= max)
    .sort((a, b) => a - b);

  return sizes.length > 0 ? sizes : undefined;
}
