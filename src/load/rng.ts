/**
 * A small seeded PRNG (mulberry32): the same seed gives the same run, so a failing run can be
 * replayed. Not for cryptography.
 */
export type Rng = () => number;

export function seededRng(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Pick from weighted choices with a uniform draw in [0, 1). */
export function pickWeighted<T>(choices: ReadonlyArray<readonly [T, number]>, draw: number): T {
  const total = choices.reduce((s, [, w]) => s + w, 0);
  let x = draw * total;
  for (const [value, weight] of choices) {
    if (x < weight) return value;
    x -= weight;
  }
  return choices[choices.length - 1]![0];
}
