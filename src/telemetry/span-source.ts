import { setTimeout as sleep } from 'node:timers/promises';
import { request } from 'undici';
import { paychaosError } from '../kernel/index.js';
import type { StartedOtlpReceiver } from './receiver.js';
import { serverSideView, type ServerSideOptions, type ServerSideView } from './server-side.js';
import { snapshotSince } from './snapshot-diff.js';
import type { SpanMetricsSnapshot } from './span-metrics.js';

/**
 * Where a run's server-side view comes from, whoever runs the receiver: its own (in this process)
 * or `paychaos up`'s (another process, read over HTTP), so the engine asks one interface.
 */
export interface SpanSource {
  /** What a gateway's OTEL_EXPORTER_OTLP_ENDPOINT should be. */
  readonly endpoint: string;
  /** Spans received since this run began. */
  spans(): Promise<number>;
  /** Resolves once no spans have arrived for `quietMs`, or after `maxMs`. */
  quiet(quietMs: number, maxMs: number): Promise<void>;
  serverSide(options?: Omit<ServerSideOptions, 'rejected'>): Promise<ServerSideView>;
}

/** The path where a receiver serves its span metrics to another paychaos process (not OTLP). */
export const SPAN_METRICS_PATH = '/paychaos/v1/span-metrics';

/** What GET SPAN_METRICS_PATH answers. */
export interface SpanMetricsDocument {
  readonly snapshot: SpanMetricsSnapshot;
  readonly rejectedSpans: number;
}

export function localSpanSource(receiver: StartedOtlpReceiver): SpanSource {
  return {
    endpoint: receiver.endpoint,
    spans: async () => receiver.stats().spans,
    quiet: (quietMs, maxMs) => receiver.quiet(quietMs, maxMs),
    serverSide: async (options = {}) => receiver.serverSide(options),
  };
}

/**
 * The receiver of a running `paychaos up`: a run attached to it counts only what arrived after
 * the run began (the difference of two snapshots, snapshot-diff.ts), so spans of earlier runs
 * and of the gateway's idle time are not this run's.
 */
export async function attachedSpanSource(endpoint: string): Promise<SpanSource> {
  const read = async (): Promise<SpanMetricsDocument> => {
    const url = `${endpoint}${SPAN_METRICS_PATH}`;
    try {
      const res = await request(url, { headersTimeout: 5000, bodyTimeout: 5000 });
      if (res.statusCode !== 200) {
        await res.body.dump();
        throw new Error(`HTTP ${res.statusCode}`);
      }
      return (await res.body.json()) as SpanMetricsDocument;
    } catch (err) {
      throw paychaosError('PAYCHAOS_ERR_STACK_ATTACH_UNREACHABLE', `the attached stack's OTLP receiver ${url} does not answer: ${(err as Error).message}`, { part: 'otlp-receiver', url });
    }
  };
  const base = await read();
  return {
    endpoint,
    spans: async () => (await read()).snapshot.spans - base.snapshot.spans,
    quiet: async (quietMs, maxMs) => {
      const started = performance.now();
      let last = (await read()).snapshot.spans;
      let since = performance.now();
      while (performance.now() - since < quietMs && performance.now() - started < maxMs) {
        await sleep(250);
        const now = (await read()).snapshot.spans;
        if (now !== last) {
          last = now;
          since = performance.now();
        }
      }
    },
    serverSide: async (options = {}) => {
      const end = await read();
      return serverSideView(snapshotSince(end.snapshot, base.snapshot), { ...options, rejected: end.rejectedSpans - base.rejectedSpans });
    },
  };
}
