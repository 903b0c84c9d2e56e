import type { NormalisedCode } from '../conventions/index.js';
import type { PaymentEvent } from './event.js';
import { LatencyHistogram, type LatencySummary } from './latency-histogram.js';

export interface VariantCounts {
  requests: number;
  succeeded: number;
  failed: number;
  pending: number;
  successRate: number;
  latencyMs: Omit<LatencySummary, 'count'>;
  errorCodes: Partial<Record<NormalisedCode, number>>;
}

/** Counts, error codes and a latency histogram for one slice of the traffic (a variant, a provider). */
export class SliceAggregate {
  requests = 0;
  succeeded = 0;
  failed = 0;
  pending = 0;
  readonly errorCodes = new Map<NormalisedCode, number>();
  readonly latency = new LatencyHistogram();

  record(event: PaymentEvent): void {
    this.requests++;
    this[event.outcome]++;
    if (event.errorCode) this.errorCodes.set(event.errorCode, (this.errorCodes.get(event.errorCode) ?? 0) + 1);
    this.latency.record(event.latencyMs);
  }

  counts(): VariantCounts {
    const { count: _count, ...latencyMs } = this.latency.summary();
    return {
      requests: this.requests,
      succeeded: this.succeeded,
      failed: this.failed,
      pending: this.pending,
      // Pending counts against success: a payment the shopper cannot see completed is not a success.
      successRate: this.requests === 0 ? 0 : this.succeeded / this.requests,
      latencyMs,
      errorCodes: Object.fromEntries([...this.errorCodes].sort((a, b) => b[1] - a[1])),
    };
  }
}

/**
 * A variant's aggregate: the slice for all its traffic plus one slice per provider and one per
 * journey step (`behaviour`: first, duplicate, …, refund, cancel; `first` when an engine did not say).
 */
export class VariantAggregate extends SliceAggregate {
  readonly byProvider = new Map<string, SliceAggregate>();
  readonly byBehaviour = new Map<string, SliceAggregate>();

  override record(event: PaymentEvent): void {
    super.record(event);
    let slice = this.byProvider.get(event.provider);
    if (!slice) this.byProvider.set(event.provider, (slice = new SliceAggregate()));
    slice.record(event);
    const step = event.behaviour ?? 'first';
    let byStep = this.byBehaviour.get(step);
    if (!byStep) this.byBehaviour.set(step, (byStep = new SliceAggregate()));
    byStep.record(event);
  }
}
