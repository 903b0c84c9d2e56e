// @ts-check
/**
 * Seeded randomness for the traffic model. The model never calls Math.random: the same seed
 * and iteration index give the same shopper on any engine, any VU, any k6-operator pod, so a
 * failing run can be replayed and a distributed run is the union of its single-pod parts.
 *
 * Plain ES2017 on purpose: this file is loaded by Node and by k6's JavaScript runtime (goja).
 */

/** @typedef {() => number} Random  A uniform draw in [0, 1). */

/**
 * mulberry32: 32 bits of state, fast, good enough for traffic mixes. Not for cryptography.
 * @param {number} seed
 * @returns {Random}
 */
export function createRandom(seed) {
  let a = seed >>> 0;
  return function next() {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The seed of one iteration's own stream, derived from the run seed and the iteration index
 * (a murmur3-style finaliser), so iterations do not depend on the order in which VUs or pods
 * happen to run them.
 * @param {number} runSeed
 * @param {number} index
 * @returns {number}
 */
export function iterationSeed(runSeed, index) {
  let h = (runSeed >>> 0) ^ Math.imul(index >>> 0, 0x9e3779b1);
  h ^= Math.floor(index / 4294967296) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/**
 * Pick from weighted choices with one uniform draw. Weights need not sum to 1.
 * @template T
 * @param {ReadonlyArray<readonly [T, number]>} choices  non-empty, weights >= 0
 * @param {number} draw  in [0, 1)
 * @returns {T}
 */
export function pickWeighted(choices, draw) {
  let total = 0;
  for (let i = 0; i < choices.length; i++) total += /** @type {readonly [T, number]} */ (choices[i])[1];
  let x = draw * total;
  for (let i = 0; i < choices.length; i++) {
    const choice = /** @type {readonly [T, number]} */ (choices[i]);
    if (x < choice[1]) return choice[0];
    x -= choice[1];
  }
  // Only reached through rounding at the top end: the last choice with a weight.
  for (let i = choices.length - 1; i >= 0; i--) {
    const choice = /** @type {readonly [T, number]} */ (choices[i]);
    if (choice[1] > 0) return choice[0];
  }
  throw new RangeError('pickWeighted: no choice has a positive weight');
}

/**
 * An integer in [min, max], log-uniform: basket sizes spread over orders of magnitude the way
 * real carts do (many small, a few large), which a uniform draw does not.
 * @param {number} min  >= 1
 * @param {number} max  >= min
 * @param {number} draw in [0, 1)
 * @returns {number}
 */
export function logUniformInt(min, max, draw) {
  if (max <= min) return min;
  const lo = Math.log(min);
  const hi = Math.log(max + 1);
  return Math.min(max, Math.floor(Math.exp(lo + draw * (hi - lo))));
}
