import { join } from 'node:path';
import { k6LoadSection, k6SpanS, runK6 } from '../load/index.js';
import { PACKAGE_ROOT } from '../stack/index.js';
import type { DriveOptions, DriveOutcome } from './drive-builtin.js';

/**
 * Drive the same traffic model with k6 (`--load k6`): load/payments.js at the same constant
 * arrival rate against the same gateway instances, its `--out json` stream followed into the
 * same aggregator, so results and verdicts do not depend on the engine.
 */
export async function driveK6(o: DriveOptions & { outDir: string; runId: string; onOutput?: (text: string) => void }): Promise<DriveOutcome> {
  const seconds = Math.max(1, Math.round(o.durationMs / 1000));
  const env: Record<string, string> = {
    RUN_ID: o.runId,
    ...(o.ramp
      ? { EXECUTOR: 'ramping-arrival-rate', START_RATE: String(o.ramp.startRate), STAGES: JSON.stringify(o.ramp.stages.map((s) => ({ duration: `${Math.round(s.durationMs)}ms`, target: s.target }))) }
      : { EXECUTOR: 'constant-arrival-rate', RATE: String(o.rate), DURATION: `${seconds}s` }),
    PRE_ALLOCATED_VUS: String(Math.min(o.maxInFlight, Math.max(10, Math.ceil(o.rate / 10)))),
    MAX_VUS: String(o.maxInFlight),
    SEED: String(o.traffic.seed),
    CANARY_WEIGHT: String(o.traffic.variants.canary / (o.traffic.variants.baseline + o.traffic.variants.canary)),
    SUMMARY_JSON: join(o.outDir, 'k6-summary.json'),
    // The run's mix, resolved: k6's shoppers pay through the providers this run started.
    MIX: JSON.stringify(o.traffic.mix),
  };
  if (o.targets.baseline) env.BASELINE_URL = o.targets.baseline.url;
  if (o.targets.canary) env.CANARY_URL = o.targets.canary.url;
  const outcome = await runK6(
    {
      script: join(PACKAGE_ROOT, 'load', 'payments.js'),
      env,
      outJson: join(o.outDir, 'k6-out.json'),
      ...(o.signal ? { signal: o.signal } : {}),
      ...(o.onOutput ? { onOutput: (chunk: string) => o.onOutput!(chunk) } : {}),
    },
    o.record,
  );
  const load = k6LoadSection(outcome.stats, o.rate);
  return {
    elapsedMs: k6SpanS(outcome.stats) * 1000,
    abortedInFlight: 0,
    load,
    assertions: [
      { name: 'driver_healthy (k6: dropped iterations = 0)', passed: load.driverHealthy, measured: load.droppedIterations, threshold: 0 },
      { name: "k6 thresholds (the script's SLOs)", passed: !outcome.thresholdsFailed, measured: null, threshold: null },
    ],
  };
}
