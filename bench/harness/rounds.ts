/** One side of an A/B comparison: runs one measured round and returns its figures. */
export interface Variant<M> {
  name: string;
  run(round: number): Promise<M>;
}

export interface RoundsOptions {
  /** Measured rounds, after one discarded warm-up round. */
  rounds: number;
  /** No new round starts after this many milliseconds (at least one always runs). */
  budgetMs: number;
}

/**
 * Runs every variant once per round, alternating the order (A B C, C B A, ...) so that a
 * drift in the machine's load weighs on all sides alike. The warm-up round is discarded.
 */
export async function interleave<M>(
  variants: Variant<M>[],
  options: RoundsOptions,
): Promise<Record<string, M[]>> {
  const results: Record<string, M[]> = Object.fromEntries(variants.map((v) => [v.name, []]));
  const started = Date.now();
  for (let round = -1; round < options.rounds; round += 1) {
    if (round > 0 && Date.now() - started > options.budgetMs) break;
    const order = round % 2 === 0 ? variants : [...variants].reverse();
    for (const variant of order) {
      const measured = await variant.run(round);
      if (round >= 0) results[variant.name].push(measured);
    }
  }

  return results;
}
