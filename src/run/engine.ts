import { setMaxListeners } from 'node:events';
import { join, resolve } from 'node:path';
import { FailoverTracker, failoverAssertionName, ThresholdSet, VariantAggregate, type FailoverCheck, checkThresholds, judgeCanary, variantDataOf, type InvariantResult, type Reconciliation, type JudgeConfigInput, type JudgeReport, type ThresholdsInput } from '../analysis/index.js';
import type { Variant } from '../conventions/index.js';
import { isPaychaosError, paychaosError, systemClock, type ExitCode } from '../kernel/index.js';
import { HttpTarget, TrafficOverrides, type ApiShape, constantSchedule, findK6, rampingSchedule, type Stage, type TrafficConfig } from '../load/index.js';
import { playTimeline, type PlayingTimeline, type TimelineStep } from '../chaos/index.js';
import { renderJunit, writeFileAtomic, type AssertionResult, type Results } from '../report/index.js';
import { driveBuiltin, type DriveOptions, type DriveOutcome } from './drive-builtin.js';
import { driveK6 } from './drive-k6.js';
import { checkForgedWebhooks, checkGroundTruth, queryUnanswered } from './ground-truth.js';
import { checkBooks } from './reconciliation.js';
import { statementSummary, writeStatement } from './statement-file.js';
import { checkOrdersSettled } from './orders-settled.js';
import { Recorder } from './recorder.js';
import { buildStack, type BuiltStack, type StackSpec } from './stack-builder.js';
import type { CrashListener } from '../stack/index.js';
import { clientProxies } from './client-proxies.js';
import { faultContext } from './fault-context.js';
import { AbortWatch } from './abort-watch.js';
import { LiveStats, type RunProgress } from './progress.js';
import { checkSteadyState } from './steady-state.js';
import { startWarmUp, warmupRate } from './warm-up.js';
import { recordingHooks } from './timeline.js';
import { exitCodeOf } from './verdict.js';
import { UsageMeter, type PartUsage } from './part-usage.js';
import { startHarnessEndpoint, type HarnessEndpoint } from './harness-endpoint.js';

/** Everything a run needs, decided before anything starts (a scenario preset or, later, a file). */
export interface RunSpec {
  readonly runId: string;
  readonly scenario: string;
  /** Default `paychaos-results/<run id>`. */
  readonly outDir?: string;
  readonly paychaosVersion: string;
  readonly stack: StackSpec;
  readonly load: {
    readonly engine: 'builtin' | 'k6';
    /** Shoppers arriving per second (open model): the constant rate, or a ramp's peak. */
    readonly rate: number;
    readonly durationMs: number;
    /** k6's ramping-arrival-rate: from startRate, linearly through each stage's target (durationMs is their sum). */
    readonly ramp?: { readonly startRate: number; readonly stages: readonly Stage[] };
    /** Concurrency cap; a due shopper beyond it is a dropped iteration. */
    readonly maxInFlight: number;
    /**
     * Built-in engine: drive this long at the first stage's rate before the measured window (warm
     * connections, JIT and pools, so start-up does not pose as the system's p99). Default 0.
     */
    readonly warmupMs?: number;
    /** The shared traffic model (load/lib), resolved for this run. */
    readonly traffic: Readonly<TrafficConfig>;
    /** Your gateway's own API (built-in engine only); default the reference gateway's. */
    readonly api?: ApiShape;
  };
  /**
   * Fault steps of any layer (src/chaos parseTimeline), played on the real clock from the moment
   * the load starts; every target is checked before anything is applied.
   */
  readonly timeline?: readonly TimelineStep[];
  /** Judge the canary against the baseline when the load ends. */
  readonly canary?: { readonly judge: JudgeConfigInput };
  /** What must hold (a scenario's `expect`); without it, the driver's health and every invariant. */
  readonly expect?: {
    /** k6-style thresholds, judged from the recorded payments; windows from the steps' actual times. */
    readonly thresholds?: ThresholdsInput;
    /** The invariants to report (default: all the money invariants; orders-settled and webhooks-forged-rejected only when named). */
    readonly invariants?: readonly string[];
    /** Failover drill bounds per fault step (time to detect, time to switch back). */
    readonly failover?: readonly FailoverCheck[];
    /** orders-settled: how long after the load the system has to settle what it left pending (default 15 s). */
    readonly settleWithinMs?: number;
  };
}

export interface RunOptions {
  /** Abort to stop early (Ctrl-C): what was measured is still written. */
  signal?: AbortSignal;
  /** How long in-flight requests may finish after an interrupt before they are cut. */
  interruptGraceMs?: number;
  /** Called once the stack is up, with every part's address. */
  onStarted?(info: { runId: string; outDir: string; addresses: Record<string, string> }): void;
  /** Called every `progressIntervalMs` (default 2 s) while the run goes on, and at each phase. */
  onProgress?(progress: RunProgress): void;
  progressIntervalMs?: number;
  /**
   * Where the run serves its own metrics (paychaos.client.*, paychaos.fault.active) on GET
   * /metrics while it goes on: default 127.0.0.1 on a free port. The address is reported to
   * onStarted as "harness metrics".
   */
  metrics?: { readonly host?: string; readonly port?: number };
}

export interface RunOutcome {
  results: Results;
  resultsPath: string;
  eventsPath: string;
  junitPath: string;
  /** Derived from the results (verdict.ts), never decided here. */
  exitCode: ExitCode;
}

/**
 * Runs a scenario from its spec. However it ends — finished, interrupted, or a part failed —
 * everything is torn down and what was measured is written (results.json atomically,
 * events.jsonl streamed); a failed part is then thrown, after the results are on disk.
 *
 *   spec ─► Recorder.open ─► buildStack ─► steady state ─► timeline.play ─┐
 *                                         drive (builtin | k6) ──event──► Recorder
 *           timeline.stop ◄──────────────────────────────┘
 *           ask the systems about unanswered orders ─► close systems (charges drain)
 *           ─► ground truth (ledgers, invariants) ─► tear down ─► canary judge
 *           ─► results (Recorder) + thresholds (ThresholdSet, windows from the actual faults)
 *           ─► results.json, junit.xml ─► exit code (verdict.ts, from the results)
 */
export async function runScenario(spec: RunSpec, options: RunOptions = {}): Promise<RunOutcome> {
  const { load } = spec;
  // k6 missing is bad input for this machine: say so before starting anything.
  if (load.engine === 'k6') await findK6();
  const outDir = resolve(spec.outDir ?? join('paychaos-results', spec.runId));
  const startedAt = new Date();
  const recorder = await Recorder.open({
    outDir,
    runId: spec.runId,
    scenario: spec.scenario,
    paychaosVersion: spec.paychaosVersion,
    header: { engine: load.engine, startedAt: startedAt.toISOString(), targetRate: load.rate, durationMs: load.durationMs },
  });

  // Thresholds were validated with the scenario; here they are only measured.
  const thresholds = new ThresholdSet(checkThresholds(spec.expect?.thresholds ?? {}).thresholds);
  const failovers = new FailoverTracker();
  const live = new LiveStats();
  const abortWatch = new AbortWatch(spec.expect?.thresholds ?? {});
  /** The steps' windows as they happen (an active step ends "now"), for live abort checks. */
  const windows = new Map<string, { startS: number; endS?: number }>();
  let abortedBy: { name: string; measured: number | null; threshold: number; atS: number } | undefined;
  let phase = 'stack';
  let driveStartedAt: number | undefined;
  const schedule = load.ramp ? rampingSchedule(load.ramp.startRate, load.ramp.stages) : constantSchedule(load.rate, load.durationMs);
  const enter = (name: string, detail?: Record<string, unknown>): void => {
    phase = name;
    recorder.phase(name, detail);
    report();
  };
  const report = (): void => {
    if (!options.onProgress) return;
    const elapsedMs = driveStartedAt === undefined ? 0 : Math.min(performance.now() - driveStartedAt, load.durationMs);
    try {
      options.onProgress({
        scenario: spec.scenario,
        phase,
        elapsedS: elapsedMs / 1000,
        totalS: load.durationMs / 1000,
        targetRate: phase === 'drive' ? Math.round(schedule.rateAt(elapsedMs) * 10) / 10 : 0,
        peakRate: load.rate,
        activeFaults: timeline?.active().map((s) => s.id) ?? [],
        ...live.snapshot(),
      });
    } catch {
      /* a display that throws must not stop the run */
    }
  };
  const ticker = options.onProgress ? setInterval(report, options.progressIntervalMs ?? 2000) : undefined;
  ticker?.unref();

  // Stops the arrivals: Ctrl-C, or a stop condition (abortOnFail) that failed.
  const stopLoad = new AbortController();
  const onInterrupt = (): void => stopLoad.abort();
  options.signal?.addEventListener('abort', onInterrupt, { once: true });
  if (options.signal?.aborted) stopLoad.abort();
  const watch = (): void => {
    if (driveStartedAt === undefined || abortedBy || abortWatch.size === 0 || phase !== 'drive') return;
    const nowS = (performance.now() - driveStartedAt) / 1000;
    const steps = Object.fromEntries([...windows].map(([id, w]) => [id, { startS: w.startS, endS: w.endS ?? nowS }]));
    const failed = abortWatch.check(nowS, steps);
    if (!failed) return;
    abortedBy = { name: failed.name, measured: failed.measured, threshold: failed.threshold, atS: Math.round(nowS * 1000) / 1000 };
    recorder.phase('abort', { ...abortedBy });
    stopLoad.abort();
  };
  const watcher = abortWatch.size > 0 ? setInterval(watch, 250) : undefined;
  watcher?.unref();

  const cut = new AbortController(); // cuts in-flight requests after the interrupt grace
  setMaxListeners(0, cut.signal); // every shopper waiting out a delay listens on it
  const onAbort = (): void => void setTimeout(() => cut.abort(), options.interruptGraceMs ?? 1000).unref();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  const stopFaults = new AbortController();

  const targets: Partial<Record<Variant, HttpTarget>> = {};
  let harness: HarnessEndpoint | undefined;
  let stack: BuiltStack | undefined;
  let timeline: PlayingTimeline | undefined;
  let drove: DriveOutcome | undefined;
  let warmup: Results['warmup'];
  let warming: Promise<Results['warmup']> | undefined;
  let invariants: InvariantResult[] = [];
  let parts: PartUsage[] = [];
  let serverSide: Results['serverSide'];
  /** The books against the settlement reports, when the run reconciled them: written as reconciliation.csv. */
  let statement: Reconciliation | undefined;
  let failure: unknown;
  const runStart = performance.now();
  const sinceStartS = (): number => (performance.now() - runStart) / 1000;
  // Policy: a part that dies unasked ends the run at once. Every payment after it would measure
  // the crash, not the system; the crash is recorded as it happens, the ledgers of every part
  // still alive are checked, and the results say failed (exit 3) naming the part.
  const onCrash: CrashListener = (part, description, detail) => {
    recorder.crash({ part, atS: sinceStartS(), message: description, ...(detail.logFile !== undefined ? { log: detail.logFile } : {}) });
    recorder.phase('crash-stop', { part });
    stopLoad.abort();
    onAbort();
  };
  /** Between start-up steps: an interrupt stops here instead of starting the next. */
  const checkpoint = (): void => {
    if (options.signal?.aborted) throw new Interrupted();
  };

  try {
    enter('stack');
    harness = await startHarnessEndpoint({ scenario: spec.scenario, runId: spec.runId, ...(options.metrics?.host !== undefined ? { host: options.metrics.host } : {}), ...(options.metrics?.port !== undefined ? { port: options.metrics.port } : {}) });
    stack = await buildStack(spec.stack, { runId: spec.runId, scenario: spec.scenario, outDir, onCrash, ...(options.signal ? { signal: options.signal } : {}) });
    checkpoint();
    const steps = spec.timeline ?? [];
    // Shopper-side network steps act on a proxy in front of their variant's system.
    const viaProxy = steps.length > 0 ? await clientProxies(stack.providers.chaos, stack.systems, steps) : {};
    const connections = Math.min(load.maxInFlight, 256);
    for (const [variant, system] of Object.entries(stack.systems) as Array<[Variant, NonNullable<BuiltStack['systems'][Variant]>]>) {
      targets[variant] = new HttpTarget(viaProxy[variant] ?? system.url, { connections, cut: cut.signal });
    }
    options.onStarted?.({ runId: spec.runId, outDir, addresses: { ...stack.addresses, ...Object.fromEntries(Object.entries(viaProxy).map(([v, url]) => [`${v} (shoppers' proxy)`, url])), 'harness metrics': harness.url } });

    // Before any fault: a stack that is already unwell would make the faults look guilty.
    enter('steady-state');
    await checkSteadyState(stack);
    checkpoint();

    // Warm-up before the timeline and the measured window: start-up must not pose as the p99.
    // The built-in engine only (the scenario format refuses load.warmup with k6).
    if (load.engine === 'builtin' && (load.warmupMs ?? 0) > 0 && warmupRate(load) > 0) {
      enter('warmup', { durationMs: load.warmupMs, rate: warmupRate(load) });
      const warm = startWarmUp({ rate: warmupRate(load), durationMs: load.warmupMs!, maxInFlight: load.maxInFlight, targets, traffic: load.traffic, cut: cut.signal, signal: stopLoad.signal, ...(load.api ? { api: load.api } : {}) }, recorder);
      warming = warm.section;
      // Its last arrival is out: the measured window opens now, while its last shoppers finish.
      await warm.handOver;
      checkpoint();
    }

    // Client-layer steps add overrides here; the built-in driver plans each shopper with them.
    const overrides = new TrafficOverrides();
    if (steps.length > 0) {
      enter('timeline', { steps: steps.length });
      const ctx = faultContext(stack, { clock: systemClock, signal: stopFaults.signal, client: overrides });
      // Played from the start of the load: step times and payment times share one origin.
      const recording = recordingHooks(recorder);
      timeline = await playTimeline(steps, ctx, {
        onStart(step, atMs) {
          windows.set(step.id, { startS: atMs / 1000 });
          recording.onStart?.(step, atMs);
          harness?.metrics.faultStarted(step);
        },
        onEnd(step, atMs, error, observed) {
          windows.set(step.id, { startS: windows.get(step.id)?.startS ?? atMs / 1000, endS: atMs / 1000 });
          recording.onEnd?.(step, atMs, error, observed);
          harness?.metrics.faultEnded(step, atMs);
        },
      });
    }
    checkpoint();
    driveStartedAt = performance.now();
    enter('drive');
    const drive: DriveOptions = {
      rate: load.rate,
      durationMs: load.durationMs,
      ...(load.ramp ? { ramp: load.ramp } : {}),
      maxInFlight: load.maxInFlight,
      targets,
      traffic: load.traffic,
      overrides,
      cut: cut.signal,
      signal: stopLoad.signal,
      record: (event) => {
        recorder.payment(event);
        thresholds.record(event);
        failovers.record(event);
        abortWatch.record(event);
        live.record(event);
        harness?.metrics.recordPayment(event);
      },
      placing: (plan) => recorder.placing(plan),
      ...(load.api ? { api: load.api } : {}),
    };
    const usage = new UsageMeter(stack.processes());
    drove = load.engine === 'k6' ? await driveK6({ ...drive, outDir, runId: spec.runId, scenario: spec.scenario }) : await driveBuiltin(drive);
    parts = usage.read();
    await stopTimeline();
    // Every warm-up shopper has finished (long before the measured ones, as a rule).
    warmup = await warming;

    enter('ground-truth');
    // While the systems still answer: what became of orders no answer named.
    const asked = await queryUnanswered(recorder.orders, stack.systems);
    recorder.phase('queried', { ...asked });
    // Asked while the systems still answer: did they settle what they left pending?
    const settled = spec.expect?.invariants?.includes('orders-settled') ? await checkOrdersSettled(recorder.orders, stack.systems, { graceMs: spec.expect.settleWithinMs ?? 15_000 }) : undefined;
    // Asked while the systems answer too: their books (GET /ledger) against the providers' settlement reports.
    const wantsBooks = spec.expect?.invariants?.some((name) => name === 'reconciliation-clean' || name === 'ledger-balances' || name === 'disputes-booked') === true;
    const books = !wantsBooks
      ? undefined
      : chargesElsewhere(spec.stack)
        ? { reconciliation: { name: 'reconciliation-clean', unit: 'payments', passed: true, checked: 0, violations: [] }, balances: { name: 'ledger-balances', unit: 'journal entries', passed: true, checked: 0, violations: [] }, disputes: { name: 'disputes-booked', unit: 'disputed payments', passed: true, checked: 0, violations: [] } }
        : await checkBooks(stack.providers.providers, stack.systems, { ...(spec.stack.simulator?.clockScale !== undefined ? { clockScale: spec.stack.simulator.clockScale } : {}) });
    statement = books?.statement;
    // The systems go first: a charge still in flight would otherwise reach a provider after its
    // ledger was read. Closing waits for those charges.
    await stack.closeSystems();
    // Closed, each reference gateway's SDK has flushed its last spans. A gateway of your own is
    // not ours to close: its SDK sends its last batch on its own schedule, so wait for the
    // receiver to fall quiet (the SDKs' default schedule delay is 5 s) — when it sent any: a
    // gateway that exported nothing during the whole load is not instrumented, and is not waited for.
    if (stack.telemetry && spec.stack.systems.some((s) => s.mode === 'url') && (await stack.telemetry.spans()) > 0) {
      enter('telemetry');
      await stack.telemetry.quiet(OWN_GATEWAY_QUIET_MS, OWN_GATEWAY_QUIET_MAX_MS);
    }
    serverSide = await serverSideOf(stack, spec.stack);
    // Parts that died unasked, by name → how (the recorder holds them; a fault step's kill is not one).
    const crashed = new Map(recorder.crashes.map((c) => [c.part, c.message]));
    // Read after the systems closed: every notification they could still acknowledge has been answered.
    const forged = spec.expect?.invariants?.includes('webhooks-forged-rejected') ? await checkForgedWebhooks(stack.providers.providers, { crashed }) : undefined;
    invariants = [...(await checkGroundTruth(stack.providers.providers, recorder.orders, { crashed })), ...(settled ? [settled] : []), ...(books ? [books.reconciliation, books.balances, books.disputes] : []), ...(forged ? [forged] : [])];
    if (chargesElsewhere(spec.stack)) invariants = invariants.map((i) => ({ ...i, notEvaluated: TARGET_NOT_ATTACHED }));
  } catch (err) {
    // Ctrl-C during start-up is an interrupted run, not a failed one: nothing was driven.
    if (!(err instanceof Interrupted) && !(options.signal?.aborted && stack === undefined)) failure = err;
  } finally {
    if (ticker) clearInterval(ticker);
    if (watcher) clearInterval(watcher);
    options.signal?.removeEventListener('abort', onAbort);
    options.signal?.removeEventListener('abort', onInterrupt);
    await stopTimeline().catch(() => {});
    // Interrupted or failed before the measured window ended: its stragglers end (cut after the grace) before the targets close.
    warmup ??= await warming;
    await Promise.all(Object.values(targets).map((t) => t.close().catch(() => {})));
    await stack?.close();
    await harness?.close().catch(() => {});
  }

  // Judge the canary on what was measured, even after an interrupt (it may say inconclusive).
  let verdict: JudgeReport | undefined;
  if (spec.canary && !failure) {
    const side = (v: Variant) => variantDataOf(recorder.aggregator.variant(v) ?? new VariantAggregate());
    verdict = judgeCanary(side('baseline'), side('canary'), spec.canary.judge);
  }
  const interrupted = options.signal?.aborted === true;
  const wanted = spec.expect?.invariants;
  const measured = recorder.results({
    startedAt,
    endedAt: new Date(),
    durationS: (drove?.elapsedMs ?? 0) / 1000,
    status: failure || recorder.crashes.length > 0 ? 'failed' : interrupted ? 'interrupted' : 'completed',
    load: drove?.load ?? idleLoad(load.engine, load.rate),
    ...(warmup ? { warmup } : {}),
    // Which ledgers could not be read is never filtered away: it says what the others did not prove.
    invariants: wanted ? invariants.filter((i) => wanted.includes(i.name) || i.name === 'ledgers-read') : invariants,
    assertions: drove?.assertions ?? [],
    stack: stack?.addresses ?? {},
    parts,
    ...(verdict ? { canary: verdict } : {}),
    ...(serverSide ? { serverSide } : {}),
    ...(statement ? { reconciliation: statementSummary(statement) } : {}),
  });
  // Thresholds are judged on what was recorded, windows from the steps' actual start and end.
  const judged: AssertionResult[] =
    thresholds.size === 0 || !drove
      ? []
      : thresholds.evaluate({
          steps: Object.fromEntries(measured.faults.map((f) => [f.id, { startS: f.startS, endS: f.endS }])),
          durationS: measured.durationS,
          counters: { dropped_iterations: measured.load.droppedIterations },
        });
  const drills: AssertionResult[] = drove ? failoverAssertions(spec.expect?.failover ?? [], measured.faults, failovers) : [];
  // A stop condition that fired says so first: the verdict names why the run was cut short.
  const stopped: AssertionResult[] = abortedBy ? [{ name: `abortOnFail: ${abortedBy.name} (the run was stopped at ${abortedBy.atS} s)`, passed: false, measured: abortedBy.measured, threshold: abortedBy.threshold }] : [];
  const results: Results = { ...measured, assertions: [...measured.assertions, ...stopped, ...judged, ...drills] };
  // The statement first: a results.json that names reconciliation.csv is never without it.
  if (statement) await writeStatement(outDir, statement);
  await recorder.finish(results, { abortedInFlight: drove?.abortedInFlight ?? 0 });
  const junitPath = join(outDir, 'junit.xml');
  await writeFileAtomic(junitPath, renderJunit([{ results, reportPath: recorder.resultsPath }]));

  if (failure) {
    throw isPaychaosError(failure) ? failure : paychaosError('PAYCHAOS_ERR_HARNESS_BUG', (failure as Error).message ?? String(failure), {}, { cause: failure });
  }
  return { results, resultsPath: recorder.resultsPath, eventsPath: recorder.eventsPath, junitPath, exitCode: exitCodeOf(results) };

  /**
   * Undo every fault still active (idempotent): ground truth and teardown run fault-free. A step
   * that could not be undone is in results.faults with its error, and the chaos plane sweeps its
   * leftovers when the stack closes; the measurement stands, so the run goes on.
   */
  async function stopTimeline(): Promise<void> {
    const playing = timeline;
    timeline = undefined;
    stopFaults.abort();
    await playing?.stop().catch((err: unknown) => recorder.phase('timeline-stop-failed', { message: (err as Error).message ?? String(err) }));
  }
}

/** Longer than the OpenTelemetry SDKs' default batch delay (OTEL_BSP_SCHEDULE_DELAY, 5 s), bounded. */
const OWN_GATEWAY_QUIET_MS = 6_000;
const OWN_GATEWAY_QUIET_MAX_MS = 20_000;

/**
 * The systems' own account, from the spans the embedded receiver took in (none when a collector
 * received them). Spans that name no variant (a gateway of your own that does not set
 * paychaos.variant) are the baseline's when the run has one system.
 */
async function serverSideOf(stack: BuiltStack, spec: StackSpec): Promise<Results['serverSide']> {
  if (!stack.telemetry) return undefined;
  const only = spec.systems.length === 1 ? spec.systems[0]!.variant : undefined;
  return { receiver: stack.telemetry.endpoint, ...(await stack.telemetry.serverSide(only ? { defaultVariant: only } : {})) };
}

/**
 * Every system is a gateway at a URL and the providers are this run's own: that gateway charges
 * through providers it was configured with before this run started them, so their ledgers prove
 * nothing about it. Judged as not evaluated, never as held.
 */
function chargesElsewhere(stack: StackSpec): boolean {
  return stack.attach === undefined && stack.systems.length > 0 && stack.systems.every((s) => s.mode === 'url');
}

const TARGET_NOT_ATTACHED = 'the target gateway charges through providers this run did not give it; run `paychaos up`, point your gateway at the providers it prints, and run with --attach <its directory>';

/**
 * One assertion per bound of each failover check, measured against the step as it actually ran.
 * A step that never ran, a gateway that never failed over or never switched back: measured null,
 * failed — a drill that shows nothing has not shown the gateway can fail over.
 */
function failoverAssertions(checks: readonly FailoverCheck[], faults: Results['faults'], tracker: FailoverTracker): AssertionResult[] {
  return checks.flatMap((check) => {
    const fault = faults.find((f) => f.id === check.step);
    const m = fault ? tracker.measure(check, fault) : { detectS: null, switchBackS: null };
    const out: AssertionResult[] = [];
    if (check.timeToDetectMs !== undefined) {
      const limit = check.timeToDetectMs / 1000;
      out.push({ name: failoverAssertionName(check.step, 'time_to_detect', limit), passed: m.detectS !== null && m.detectS <= limit, measured: m.detectS, threshold: limit });
    }
    if (check.timeToSwitchBackMs !== undefined) {
      const limit = check.timeToSwitchBackMs / 1000;
      out.push({ name: failoverAssertionName(check.step, 'time_to_switch_back', limit), passed: m.switchBackS !== null && m.switchBackS <= limit, measured: m.switchBackS, threshold: limit });
    }
    return out;
  });
}

/** Thrown between start-up steps once the run is interrupted: caught, never a failure. */
class Interrupted extends Error {}

/** The load section of a run that never got to drive (a part failed to start). */
function idleLoad(engine: 'builtin' | 'k6', rate: number): Results['load'] {
  return { engine, targetRate: rate, achievedRate: 0, scheduledIterations: 0, droppedIterations: 0, maxInFlight: 0, eventLoopLagP99Ms: 0, driverHealthy: false };
}
