import { weightedSample, type VariantData, type WeightedSample } from '../../../src/analysis/canary/index.js';

/** Deterministic PRNG (mulberry32), so every "random" sample in these tests is reproducible. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

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
