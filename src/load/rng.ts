/**
 * Seeded randomness for the TypeScript side: the very generator the traffic model uses
 * (load/lib/random.js, mulberry32), so a seed means the same thing to every engine.
 */
import { createRandom, pickWeighted as pick } from '../../load/lib/index.js';

export type Rng = () => number;

export function seededRng(seed: number): Rng {
  return createRandom(seed);
}

/** Pick from weighted choices with a uniform draw in [0, 1). */
export function pickWeighted<T>(choices: ReadonlyArray<readonly [T, number]>, draw: number): T {
  return pick(choices, draw);
}
