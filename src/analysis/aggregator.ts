import type { Variant } from '../conventions/index.js';
import type { PaymentEvent } from './event.js';
import { Timeline, type TimelineBucket } from './timeline.js';
import { VariantAggregate, type VariantCounts } from './variant-aggregate.js';

export interface VariantSnapshot extends VariantCounts {
  byProvider: Record<string, VariantCounts>;
  /** The same counts per journey step (the events' `behaviour`): payments' submits, refunds, cancels. */
  byBehaviour: Record<string, VariantCounts>;
  /** HDR histogram of the variant's latencies (µs), compressed base64: for rank tests later. */
  latencyHistogram: string;
}

export interface AggregateSnapshot {
  variants: Partial<Record<Variant, VariantSnapshot>>;
  timeline: TimelineBucket[];
}

/**
 * The streaming aggregator: every event goes in once, memory stays bounded whatever the run
 * length (histograms, not samples), and a snapshot can be taken at any moment — which is what
 * lets an interrupted run still write what it measured.
 *
 *   driver ──event──► Aggregator ──► VariantAggregate (counts, codes, HDR) ─┐
 *                         │            └─► per provider                       ├─► snapshot()
 *                         └──────────► Timeline (per-second buckets) ─────────┘
 */
export class Aggregator {
  readonly #variants = new Map<Variant, VariantAggregate>();
  readonly #timeline: Timeline;

  constructor(options: { settleS?: number } = {}) {
    this.#timeline = new Timeline(options.settleS);
  }

  record(event: PaymentEvent): void {
    let v = this.#variants.get(event.variant);
    if (!v) this.#variants.set(event.variant, (v = new VariantAggregate()));
    v.record(event);
    this.#timeline.record(event);
  }

  variant(name: Variant): VariantAggregate | undefined {
    return this.#variants.get(name);
  }

  get requests(): number {
    let n = 0;
    for (const v of this.#variants.values()) n += v.requests;
    return n;
  }

  snapshot(): AggregateSnapshot {
    const variants: AggregateSnapshot['variants'] = {};
    for (const [name, agg] of this.#variants) {
      variants[name] = {
        ...agg.counts(),
        byProvider: Object.fromEntries([...agg.byProvider].map(([p, s]) => [p, s.counts()])),
        byBehaviour: Object.fromEntries([...agg.byBehaviour].map(([b, s]) => [b, s.counts()])),
        latencyHistogram: agg.latency.encode(),
      };
    }
    return { variants, timeline: this.#timeline.buckets() };
  }
}
