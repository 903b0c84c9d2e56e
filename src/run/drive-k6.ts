import { join } from 'node:path';
import { k6LoadSection, k6MeasuredArrivalWindowS, k6RunTags, k6VusFor, runK6 } from '../load/index.js';
import { PACKAGE_ROOT } from '../stack/index.js';
import type { DriveOptions, DriveOutcome } from './drive-builtin.js';

/** k6's own default, stated so the VU sizing and the script agree on it. */
const REQUEST_TIMEOUT = '30s';

/**
 * Drive the same traffic model with k6 (`--load k6`): load/payments.js at the same constant
 * arrival rate against the same gateway instances, its `--out json` stream followed into the
 * same aggregator, so results and verdicts do not depend on the engine.
 */
export async function driveK6(o: DriveOptions & { outDir: string; runId: string; scenario: string; onOutput?: (text: string) => void }): Promise<DriveOutcome> {
  const seconds = Math.max(1, Math.round(o.durationMs / 1000));
  // k6 drops an arrival that finds every pre-allocated VU busy (a VU made mid-run comes too
  // late for it): size them for the shoppers in flight, not for the rate alone.
  const vus = k6VusFor({ rate: o.rate, traffic: o.traffic, maxInFlight: o.maxInFlight, requestTimeout: REQUEST_TIMEOUT });
  if (vus.capped) {
    o.onOutput?.(`paychaos: the concurrency cap ${o.maxInFlight} is below the ${vus.sizing.preAllocatedVUs} VUs sized for ${o.rate}/s; k6 may drop iterations (raise --max-in-flight)\n`);
  }
  const env: Record<string, string> = {
    RUN_ID: o.runId,
    ...(o.ramp
      ? { EXECUTOR: 'ramping-arrival-rate', START_RATE: String(o.ramp.startRate), STAGES: JSON.stringify(o.ramp.stages.map((s) => ({ duration: `${Math.round(s.durationMs)}ms`, target: s.target }))) }
      : { EXECUTOR: 'constant-arrival-rate', RATE: String(o.rate), DURATION: `${seconds}s` }),
    PRE_ALLOCATED_VUS: String(vus.preAllocatedVUs),
    MAX_VUS: String(vus.maxVUs),
    REQUEST_TIMEOUT,
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
      // The run's labels on every k6 sample: remote-written k6 series join the dashboards' run filter.
      tags: k6RunTags({ scenario: o.scenario, runId: o.runId }),
      outJson: join(o.outDir, 'k6-out.json'),
      ...(o.signal ? { signal: o.signal } : {}),
      ...(o.onOutput ? { onOutput: (chunk: string) => o.onOutput!(chunk) } : {}),
    },
    o.record,
  );
  // Rates are per second of the arrival window, as the built-in driver's: the scenario's
  // duration, not k6's graceful stop after it; a run stopped early arrived for less.
  const windowS = outcome.interrupted ? k6MeasuredArrivalWindowS(outcome.stats) : seconds;
  const load = k6LoadSection(outcome.stats, { targetRate: o.rate, windowS });
  return {
    elapsedMs: windowS * 1000,
    abortedInFlight: 0,
    load,
    assertions: [
      { name: 'driver_healthy (k6: dropped iterations = 0)', passed: load.driverHealthy, measured: load.droppedIterations, threshold: 0 },
      { name: "k6 thresholds (the script's SLOs)", passed: !outcome.thresholdsFailed, measured: null, threshold: null },
    ],
  };
}
