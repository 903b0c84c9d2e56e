import type { Variant } from '../conventions/index.js';
import type { PaymentEvent } from './event.js';
import { LatencyHistogram } from './latency-histogram.js';

export interface TimelineBucket {
  /** Second since the run started (by scheduled start). */
  t: number;
  requests: number;
  succeeded: number;
  failed: number;
  pending: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  byVariant: Partial<Record<Variant, { requests: number; succeeded: number; failed: number; pending: number }>>;
}

interface OpenBucket {
  bucket: TimelineBucket;
  latency: LatencyHistogram | undefined;
}

/**
 * Per-second buckets, keyed by the second a request was *scheduled* in. A bucket keeps a small
 * histogram (2 significant digits) only while it can still receive answers; once it is older
 * than `settleS` it is summarised and the histogram dropped, so memory stays bounded in the run
 * length. A straggler answering after that still counts; only its latency misses the bucket's
 * percentiles (it is in the variant's histogram regardless).
 */
export class Timeline {
  readonly #buckets = new Map<number, OpenBucket>();
  readonly #settleS: number;
  #latestS = 0;

  constructor(settleS = 60) {
    this.#settleS = settleS;
  }

  record(event: PaymentEvent): void {
    const t = Math.max(0, Math.floor(event.t / 1000));
    let open = this.#buckets.get(t);
    if (!open) {
      open = { bucket: { t, requests: 0, succeeded: 0, failed: 0, pending: 0, p50: 0, p95: 0, p99: 0, max: 0, byVariant: {} }, latency: new LatencyHistogram({ digits: 2 }) };
      this.#buckets.set(t, open);
    }
    const b = open.bucket;
    b.requests++;
    b[event.outcome]++;
    const v = (b.byVariant[event.variant] ??= { requests: 0, succeeded: 0, failed: 0, pending: 0 });
    v.requests++;
    v[event.outcome]++;
    b.max = Math.max(b.max, Math.round(event.latencyMs * 1000) / 1000);
    open.latency?.record(event.latencyMs);
    if (t > this.#latestS) {
      this.#latestS = t;
      this.#settle(t - this.#settleS);
    }
  }

  #settle(beforeS: number): void {
    for (const open of this.#buckets.values()) {
      if (open.latency && open.bucket.t < beforeS) summarise(open);
    }
  }

  buckets(): TimelineBucket[] {
    return [...this.#buckets.values()]
      .map((open) => {
        if (open.latency) summarise(open, false);
        return { ...open.bucket, byVariant: { ...open.bucket.byVariant } };
      })
      .sort((a, b) => a.t - b.t);
  }
}

function summarise(open: OpenBucket, drop = true): void {
  const h = open.latency;
  if (!h) return;
  open.bucket.p50 = h.percentile(50);
  open.bucket.p95 = h.percentile(95);
  open.bucket.p99 = h.percentile(99);
  if (drop) open.latency = undefined;
}
