/** mulberry32: a small, fast, deterministic generator; every benchmark's data starts here. */
export function seeded(seed: number): () => number {
  let state = seed >>> 0;

  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);

    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A uniform value in [min, max). */
export function between(random: () => number, min: number, max: number): number {
  return min + random() * (max - min);
}

/** Printable text of exactly `length` characters. */
export function text(random: () => number, length: number): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz ';
  let out = '';
  for (let i = 0; i < length; i += 1) out += alphabet[Math.floor(random() * alphabet.length)];

  return out;
}
