import { weightedSample, type VariantData, type WeightedSample } from '../../../src/analysis/index.js';
import { seededRng } from '../../../src/load/index.js';

/** Deterministic PRNG, so every "random" sample in these tests is reproducible. */
export const rng = seededRng;

/** n log-normal latencies (median `medianMs`), rounded to 0.01 ms as a histogram would bucket them. */
export function latencies(n: number, medianMs: number, seed: number, sigma = 0.5): WeightedSample {
  const r = rng(seed);
  const counts = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    const z = Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
    const v = Math.round(medianMs * Math.exp(sigma * z) * 100) / 100;
    counts.set(v, (counts.get(v) ?? 0) + 1);
  }
  return weightedSample(counts);
}

export function variant(requests: number, errorCodes: Record<string, number>, latency?: WeightedSample): VariantData {
  const failed = Object.values(errorCodes).reduce((a, b) => a + b, 0);
  return { requests, succeeded: requests - failed, failed, pending: 0, errorCodes, ...(latency ? { latency } : {}) };
}
