import { weightedSample } from './stats/index.js';
import type { VariantData, VariantSlice } from './variant-data.js';

/**
 * The shape of a live aggregate (src/analysis's SliceAggregate / VariantAggregate), stated
 * structurally so the judge does not depend on the aggregator's class.
 */
export interface AggregateLike {
  readonly requests: number;
  readonly succeeded: number;
  readonly failed: number;
  readonly pending: number;
  readonly errorCodes: ReadonlyMap<string, number>;
  /** Latency in ms as ascending (value, count) pairs. */
  readonly latency: { weightedValues(): ReadonlyArray<readonly [number, number]> };
  readonly byProvider?: ReadonlyMap<string, Omit<AggregateLike, 'byProvider'>>;
}

/** VariantData from an in-process aggregate — what `paychaos demo --canary` hands to judgeCanary. */
export function variantDataOf(aggregate: AggregateLike): VariantData {
  return {
    ...slice(aggregate),
    ...(aggregate.byProvider ? { byProvider: Object.fromEntries([...aggregate.byProvider].map(([name, s]) => [name, slice(s)])) } : {}),
  };
}

function slice(a: Omit<AggregateLike, 'byProvider'>): VariantSlice {
  const latency = weightedSample(a.latency.weightedValues());
  return {
    requests: a.requests,
    succeeded: a.succeeded,
    failed: a.failed,
    pending: a.pending,
    errorCodes: Object.fromEntries(a.errorCodes),
    ...(latency.total > 0 ? { latency } : {}),
  };
}
