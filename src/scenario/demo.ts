import { setMaxListeners } from 'node:events';
import { access, constants } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { request } from 'undici';
import { Aggregator, VariantAggregate, checkNoDoubleCharge, round3, type InvariantResult, type LedgerRow, type PaymentEvent } from '../analysis/index.js';
import { judgeCanary, variantDataOf, verdictExitCode, type JudgeReport } from '../analysis/canary/index.js';
import { EXIT, isPaychaosError, paychaosError, type ExitCode } from '../errors.js';
import { startGateway } from '../gateway/index.js';
import { HttpTarget, LagMonitor, planShopper, playShopper, runConstantArrivalRate, trafficConfig, type ArrivalRateStats } from '../load/index.js';
import type { Variant } from '../telemetry/index.js';
import { DEMO_JUDGE_CONFIG, type CanaryConfig } from './canary-config.js';
import { EventsWriter, SCHEMA_VERSION, ensureDir, writeFileAtomic, type Results } from '../report/index.js';
import { Supervisor } from '../stack/index.js';
import { startStripeSim } from '../../simulators/index.js';
import { newRunId } from './run-id.js';

export interface DemoOptions {
  durationMs: number;
  /** Shoppers arriving per second (open model). */
  rate: number;
  outDir?: string;
  seed?: number;
  /** Concurrency cap; a due shopper beyond it is a dropped iteration. */
  maxInFlight?: number;
  /** Abort to stop early (Ctrl-C): what was measured is still written. */
  signal?: AbortSignal;
  /** How long in-flight requests may finish after an interrupt before they are cut. */
  interruptGraceMs?: number;
  version: string;
  /** Run a canary gateway beside the baseline and judge the two. */
  canary?: CanaryConfig & { weight: number };
  /** Called once the stack is up, with every part's address. */
  onStarted?(info: { runId: string; outDir: string; addresses: Record<string, string> }): void;
}

export interface DemoOutcome {
  results: Results;
  resultsPath: string;
  eventsPath: string;
  exitCode: ExitCode;
}

/**
 * The event-loop lag (p99) above which the driver is deemed to have fallen behind: past it,
 * arrivals are released in bursts a fifth of a second late, and the run measures the harness.
 */
const HEALTHY_LAG_P99_MS = 200;

/**
 * `paychaos demo`: the thin end-to-end slice. Starts a Stripe-style simulator and the reference
 * gateway on 127.0.0.1, drives shoppers at a fixed arrival rate, checks that no order was charged
 * twice against the simulator's ledger, and writes results.json (atomically) and events.jsonl
 * (streamed). However it ends — finished, interrupted, or a part failed — the stack is torn down
 * and what was measured is written.
 */
export async function runDemo(options: DemoOptions): Promise<DemoOutcome> {
  const runId = newRunId('demo');
  const outDir = resolve(options.outDir ?? join('paychaos-results', runId));
  await prepareOutDir(outDir);
  const resultsPath = join(outDir, 'results.json');
  const eventsPath = join(outDir, 'events.jsonl');

  const events = new EventsWriter(eventsPath);
  const supervisor = new Supervisor({ logDir: outDir });
  const aggregator = new Aggregator();
  const lag = new LagMonitor().start();
  const cut = new AbortController(); // cuts in-flight requests after the interrupt grace
  setMaxListeners(0, cut.signal); // every in-flight request listens on it
  const onAbort = (): void => void setTimeout(() => cut.abort(), options.interruptGraceMs ?? 1000).unref();
  options.signal?.addEventListener('abort', onAbort, { once: true });

  const canary = options.canary;
  // The shared traffic model (load/lib): the same shoppers k6 would send for this seed. The demo
  // is short, so duplicates and returning shoppers come back within a second.
  const traffic = trafficConfig({
    runId,
    seed: options.seed ?? Date.now() % 2 ** 31,
    variants: { baseline: 1 - (canary?.weight ?? 0), canary: canary?.weight ?? 0 },
    duplicateAfter: { minMs: 50, maxMs: 500 },
    resumeAfter: { minMs: 200, maxMs: 1000 },
  });
  const startedAt = new Date();
  const maxInFlight = options.maxInFlight ?? Math.max(50, Math.ceil(options.rate * 2));
  let stats: ArrivalRateStats = { scheduled: 0, started: 0, dropped: 0, maxInFlightSeen: 0, elapsedMs: 0 };
  let invariants: InvariantResult[] = [];
  let failure: unknown;
  const targets: Partial<Record<Variant, HttpTarget>> = {};
  let abortedInFlight = 0;

  events.write({ type: 'run', runId, scenario: 'demo', startedAt: startedAt.toISOString(), targetRate: options.rate, durationMs: options.durationMs });
  try {
    const sim = await supervisor.start('stripe', () => startStripeSim());
    const gateway = await supervisor.start('gateway-baseline', () => startGateway({ providerUrl: sim.url, variant: 'baseline', version: options.version }));
    targets.baseline = new HttpTarget(gateway.url, { connections: Math.min(maxInFlight, 256) });
    if (canary) {
      const canaryGateway = await supervisor.start('gateway-canary', () =>
        startGateway({
          providerUrl: sim.url,
          variant: 'canary',
          version: canary.version ?? `${options.version}-canary`,
          ...(canary.providerTimeoutMs !== undefined ? { providerTimeoutMs: canary.providerTimeoutMs } : {}),
          regression: {
            ...(canary.extraLatencyMs !== undefined ? { extraLatencyMs: canary.extraLatencyMs } : {}),
            ...(canary.providerErrorRate !== undefined ? { providerErrorRate: canary.providerErrorRate } : {}),
            seed: canary.seed ?? 1,
          },
        }),
      );
      targets.canary = new HttpTarget(canaryGateway.url, { connections: Math.min(maxInFlight, 256) });
    }
    const addresses = supervisor.addresses();
    await writeFileAtomic(join(outDir, 'stack.json'), `${JSON.stringify({ runId, parts: addresses }, null, 2)}\n`);
    options.onStarted?.({ runId, outDir, addresses });

    const t0 = performance.now();
    const record = (event: PaymentEvent): void => {
      aggregator.record(event);
      events.write({ type: 'payment', ...event });
    };
    stats = await runConstantArrivalRate(
      { rate: options.rate, durationMs: options.durationMs, maxInFlight, ...(options.signal ? { signal: options.signal } : {}) },
      (index, scheduledAt) => playShopper(planShopper({ index, timeMs: scheduledAt - t0 }, traffic), scheduledAt, { targets, t0, cut: cut.signal, record, aborted: () => void abortedInFlight++ }),
    );
    invariants = [checkNoDoubleCharge(await fetchLedger(sim.url))];
  } catch (err) {
    failure = err;
  } finally {
    lag.stop();
    options.signal?.removeEventListener('abort', onAbort);
    await Promise.all(Object.values(targets).map((t) => t.close().catch(() => {})));
    await supervisor.close();
  }

  const interrupted = options.signal?.aborted === true;
  // Judge the canary on what was measured, even after an interrupt (it may say inconclusive).
  let verdict: JudgeReport | undefined;
  if (canary && !failure) {
    const side = (v: Variant) => variantDataOf(aggregator.variant(v) ?? new VariantAggregate());
    verdict = judgeCanary(side('baseline'), side('canary'), canary.judge ?? DEMO_JUDGE_CONFIG);
  }
  const status: Results['status'] = failure ? 'failed' : interrupted ? 'interrupted' : 'completed';
  const snapshot = aggregator.snapshot();
  const elapsedS = stats.elapsedMs / 1000;
  const lagP99 = lag.p99Ms();
  const driverHealthy = stats.dropped === 0 && lagP99 < HEALTHY_LAG_P99_MS;
  const results: Results = {
    schemaVersion: SCHEMA_VERSION,
    runId,
    scenario: 'demo',
    startedAt: startedAt.toISOString(),
    endedAt: new Date().toISOString(),
    durationS: round3(elapsedS),
    status,
    paychaosVersion: options.version,
    load: {
      engine: 'builtin',
      targetRate: options.rate,
      achievedRate: elapsedS > 0 ? round3(stats.started / elapsedS) : 0,
      scheduledIterations: stats.scheduled,
      droppedIterations: stats.dropped,
      maxInFlight: stats.maxInFlightSeen,
      eventLoopLagP99Ms: lagP99,
      driverHealthy,
    },
    variants: snapshot.variants,
    timeline: snapshot.timeline,
    faults: [],
    invariants,
    // The harness vouches for itself first: a driver that fell behind under-drove the system.
    assertions: [{ name: `driver_healthy (dropped iterations = 0, event-loop lag p99 < ${HEALTHY_LAG_P99_MS} ms)`, passed: driverHealthy, measured: lagP99, threshold: HEALTHY_LAG_P99_MS }],
    ...(verdict ? { canary: verdict } : {}),
    stack: supervisor.addresses(),
  };
  events.write({ type: 'end', runId, status, abortedInFlight, endedAt: results.endedAt });
  await events.close().catch(() => {});
  await writeFileAtomic(resultsPath, `${JSON.stringify(results, null, 2)}\n`);

  if (failure) {
    throw isPaychaosError(failure) ? failure : paychaosError('PAYCHAOS_ERR_HARNESS_BUG', (failure as Error).message ?? String(failure), {}, { cause: failure });
  }
  const exitCode: ExitCode = interrupted
    ? EXIT.INTERRUPTED
    : !invariants.every((i) => i.passed) || !results.assertions.every((a) => a.passed)
      ? EXIT.ASSERTION_FAILED
      : verdict
        ? (verdictExitCode(verdict.verdict) as ExitCode)
        : EXIT.OK;
  return { results, resultsPath, eventsPath, exitCode };
}

async function prepareOutDir(outDir: string): Promise<void> {
  try {
    await ensureDir(outDir);
    await access(outDir, constants.W_OK);
  } catch (err) {
    throw paychaosError('PAYCHAOS_ERR_REPORT_OUT_DIR', `--out ${outDir}: ${(err as Error).message}`, { flag: '--out', value: outDir });
  }
}

async function fetchLedger(simUrl: string): Promise<LedgerRow[]> {
  const res = await request(`${simUrl}/__sim/ledger`, { method: 'GET' });
  const body = (await res.body.json()) as { entries: LedgerRow[] };
  return body.entries;
}
