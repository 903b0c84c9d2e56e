import type { PaymentEvent } from '../event.js';
import type { Aggregation } from './expression.js';

/**
 * The metrics a threshold can name, in k6's metric types: what each measures on the payments the
 * driver saw, and which aggregations it accepts (k6 gives a Rate `rate`, a Counter `count` and
 * `rate`, a Trend `avg` `min` `max` `med` `p(N)`).
 *
 *   success_rate    Rate    share of payments that succeeded (pending is not success)
 *   error_share     Rate    share of payments whose normalised error code is the `code` tag
 *   pending_share   Rate    share of payments that ended pending (outcome unknown, waiting)
 *   latency         Trend   ms from the scheduled start to the answer (no coordinated omission)
 *   requests        Counter payments; `rate` is per second of the window
 *   dropped_iterations Counter shoppers the driver could not start (run-wide only)
 *
 * Tags filter which payments count: variant, provider, method, behaviour, outcome and code —
 * except for error_share, whose `code` names the error counted, not a filter.
 */
export type MetricType = 'rate' | 'trend' | 'counter';

export interface MetricDefinition {
  readonly type: MetricType;
  readonly description: string;
  /** Whether the metric is measured from payment events (so it can be windowed). */
  readonly fromEvents: boolean;
  /** For a Rate: whether an event (that passed the filter) counts as a hit. */
  hit?(event: PaymentEvent, tags: Readonly<Record<string, string>>): boolean;
}

export const METRICS: Readonly<Record<string, MetricDefinition>> = Object.freeze({
  success_rate: { type: 'rate', description: 'share of payments that succeeded', fromEvents: true, hit: (e) => e.outcome === 'succeeded' },
  error_share: { type: 'rate', description: 'share of payments that ended with the error code named by the `code` tag', fromEvents: true, hit: (e, tags) => e.errorCode === tags.code },
  pending_share: { type: 'rate', description: 'share of payments that ended pending', fromEvents: true, hit: (e) => e.outcome === 'pending' },
  latency: { type: 'trend', description: 'payment latency in ms, from the scheduled start', fromEvents: true },
  requests: { type: 'counter', description: 'payments answered (rate: per second)', fromEvents: true },
  dropped_iterations: { type: 'counter', description: 'shoppers the driver could not start in time', fromEvents: false },
});

export const EVENT_TAGS = Object.freeze(['variant', 'provider', 'method', 'behaviour', 'outcome', 'code']);

const ACCEPTS: Readonly<Record<MetricType, ReadonlyArray<Aggregation['kind']>>> = {
  rate: ['rate'],
  counter: ['count', 'rate'],
  trend: ['avg', 'min', 'max', 'med', 'p'],
};

export function accepts(type: MetricType, aggregation: Aggregation): boolean {
  return ACCEPTS[type].includes(aggregation.kind);
}

export function acceptedAggregations(type: MetricType): string {
  return ACCEPTS[type].map((k) => (k === 'p' ? 'p(N)' : k)).join(', ');
}

/** Whether an event passes a threshold's tag filter (error_share's `code` is not a filter). */
export function matches(event: PaymentEvent, metric: string, tags: Readonly<Record<string, string>>): boolean {
  for (const [tag, value] of Object.entries(tags)) {
    if (tag === 'code' && metric === 'error_share') continue;
    const actual = tag === 'code' ? (event.errorCode ?? '') : (event as unknown as Record<string, unknown>)[tag];
    if (actual !== value) return false;
  }
  return true;
}
