import type { WeightedSample } from './stats/index.js';

/**
 * What the judge needs of one variant, whatever the source (a results.json, Prometheus, the
 * demo's in-process aggregates). Latency is a weighted sample in ms — an HDR histogram's
 * (value, count) pairs — so rank tests never need raw samples.
 */
export interface VariantSlice {
  readonly requests: number;
  readonly succeeded: number;
  readonly failed: number;
  readonly pending?: number;
  /** Normalised error code → count. */
  readonly errorCodes: Readonly<Record<string, number>>;
  /** Latency in ms; absent when the source has no distribution (the latency metric is then nodata). */
  readonly latency?: WeightedSample;
}

export interface VariantData extends VariantSlice {
  /** Per-provider slices, for metrics scoped with `provider`. */
  readonly byProvider?: Readonly<Record<string, VariantSlice>>;
}
