import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LatencyHistogram } from '../../../src/analysis/index.js';
import { resultsSchema, type Results } from '../../../src/report/index.js';
import { rng } from '../../unit/canary/fixtures.js';

export interface VariantSpec {
  requests: number;
  errorCodes: Record<string, number>;
  /** Log-normal latencies around this median, ms; none recorded when absent. */
  medianMs?: number;
  seed?: number;
}

/** A results.json variant as `paychaos run` writes it, latency histogram included. */
function variantOf(spec: VariantSpec): NonNullable<Results['variants']['baseline']> {
  const h = new LatencyHistogram();
  if (spec.medianMs !== undefined) {
    const r = rng(spec.seed ?? 1);
    for (let i = 0; i < spec.requests; i++) {
      const z = Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
      h.record(spec.medianMs * Math.exp(0.5 * z));
    }
  }
  const failed = Object.values(spec.errorCodes).reduce((a, b) => a + b, 0);
  const { count: _count, ...latencyMs } = h.summary();
  const counts = {
    requests: spec.requests,
    succeeded: spec.requests - failed,
    failed,
    pending: 0,
    successRate: spec.requests === 0 ? 0 : (spec.requests - failed) / spec.requests,
    latencyMs,
    errorCodes: spec.errorCodes,
  };
  return { ...counts, byProvider: { stripe: counts }, latencyHistogram: spec.medianMs === undefined ? '' : h.encode() };
}

/** A results.json holding the given variants; `runId` tells runs apart (default "run-test"). */
export function resultsOf(variants: { baseline?: VariantSpec; canary?: VariantSpec }, runId = 'run-test'): Results {
  const now = new Date('2026-11-11T00:00:00Z').toISOString();
  const results = {
    schemaVersion: 1,
    runId,
    scenario: 'canary-test',
    startedAt: now,
    endedAt: now,
    durationS: 30,
    status: 'completed',
    paychaosVersion: '0.1.0',
    load: { engine: 'builtin', targetRate: 100, achievedRate: 100, scheduledIterations: 3000, droppedIterations: 0, maxInFlight: 10, eventLoopLagP99Ms: 1, driverHealthy: true },
    variants: {
      ...(variants.baseline ? { baseline: variantOf(variants.baseline) } : {}),
      ...(variants.canary ? { canary: variantOf(variants.canary) } : {}),
    },
    timeline: [],
    faults: [],
    invariants: [],
    assertions: [],
  };
  return resultsSchema.parse(results);
}

export async function tempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'paychaos-canary-'));
}

export async function writeResults(dir: string, name: string, variants: { baseline?: VariantSpec; canary?: VariantSpec }, runId?: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, JSON.stringify(resultsOf(variants, runId)));
  return path;
}
