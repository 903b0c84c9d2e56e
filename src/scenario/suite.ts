import { dirname, join, relative, resolve } from 'node:path';
import { EXIT, isPaychaosError, type ExitCode } from '../kernel/index.js';
import { ensureDir, readResults, renderJunit, writeFileAtomic, writeReports, writeSuiteIndex, type Results } from '../report/index.js';
import { newRunId, runScenario, type RunOptions, type RunProgress } from '../run/index.js';
import type { Scenario } from './format/index.js';
import { toRunSpec } from './to-run-spec.js';
import type { AttachDocument } from '../stack/index.js';

export interface SuiteOptions {
  paychaosVersion: string;
  /** Default `paychaos-results/<suite id>`. One scenario writes here; several, one directory each. */
  outDir?: string;
  /** Also write the combined junit.xml here (it is always in the output directory). */
  junitPath?: string;
  target?: string;
  /** The providers of a running `paychaos up` (`--attach`), used by every scenario. */
  attach?: AttachDocument;
  /** Ctrl-C: the running scenario stops (its faults undone, its results written); the rest are skipped. */
  signal?: AbortSignal;
  interruptGraceMs?: number;
  onScenarioStart?(scenario: Scenario, outDir: string): void;
  onScenarioEnd?(entry: SuiteEntry): void;
  onProgress?(progress: RunProgress): void;
  progressIntervalMs?: number;
  /** Where each run serves its own metrics (RunOptions.metrics); runs are one after another, so one port serves them all. */
  metrics?: RunOptions['metrics'];
  /** A scenario's stack is up: every part's address (the OTLP receiver's and the harness metrics endpoint's among them). */
  onStarted?: RunOptions['onStarted'];
}

export interface SuiteEntry {
  readonly name: string;
  readonly path: string;
  readonly outDir: string;
  readonly exitCode: ExitCode | number;
  readonly status: Results['status'] | 'skipped' | 'error';
  readonly results?: Results;
  /** A run that threw: its coded error. */
  readonly error?: { readonly code: string; readonly message: string };
  /** report.html, written whenever the run left a results.json. */
  readonly reportPath?: string;
  readonly summaryPath?: string;
  /** Why the reports could not be written (the run's own verdict stands). */
  readonly reportError?: string;
}

export interface SuiteOutcome {
  readonly outDir: string;
  readonly entries: readonly SuiteEntry[];
  /** The worst of the runs (see worstExit). */
  readonly exitCode: ExitCode | number;
  /** undefined for a single scenario (its own results are the summary). */
  readonly suitePath?: string;
  /** A suite's index.html linking every scenario's report with its verdict; undefined for a single scenario. */
  readonly indexPath?: string;
  readonly junitPath: string;
}

/**
 * Runs scenarios one after another through the run engine — never two stacks at once, so one
 * scenario's load cannot disturb another's measurements — and sums them up:
 *
 *   scenario ─► toRunSpec ─► runScenario ─► <out>/<name>/{results.json, events.jsonl, junit.xml}
 *            ─► writeReports            ─► <out>/<name>/{report.html, summary.md}
 *   all      ─► <out>/suite.json, <out>/index.html, <out>/junit.xml (one testsuite per scenario), worst exit code
 *
 * Every junit.xml names a failing scenario's report.html relative to the junit file itself, so
 * the link still works when CI keeps the output directory as an artifact elsewhere.
 */
export async function runSuite(scenarios: readonly Scenario[], options: SuiteOptions): Promise<SuiteOutcome> {
  const outDir = resolve(options.outDir ?? join('paychaos-results', newRunId(scenarios.length === 1 ? scenarios[0]!.file.name : 'suite')));
  const single = scenarios.length === 1;
  // Bad input is found before anything starts, not halfway through a suite.
  for (const scenario of scenarios) toRunSpec(scenario, { paychaosVersion: options.paychaosVersion, ...(options.target ? { target: options.target } : {}), ...(options.attach ? { attach: options.attach } : {}) });
  await ensureDir(outDir);
  const entries: SuiteEntry[] = [];
  const startedAt = new Date();
  for (const scenario of scenarios) {
    const dir = single ? outDir : join(outDir, scenario.file.name);
    if (options.signal?.aborted) {
      entries.push({ name: scenario.file.name, path: scenario.path, outDir: dir, exitCode: EXIT.INTERRUPTED, status: 'skipped' });
      continue;
    }
    options.onScenarioStart?.(scenario, dir);
    const entry = await withReports(await runOne(scenario, dir, options));
    entries.push(entry);
    options.onScenarioEnd?.(entry);
  }
  const exitCode = worstExit(entries.map((e) => e.exitCode));
  const junitPath = join(outDir, 'junit.xml');
  let suitePath: string | undefined;
  let indexPath: string | undefined;
  if (!single) {
    suitePath = join(outDir, 'suite.json');
    const summary = {
      schemaVersion: 1,
      startedAt: startedAt.toISOString(),
      endedAt: new Date().toISOString(),
      exitCode,
      scenarios: entries.map((e) => ({
        name: e.name,
        path: e.path,
        outDir: e.outDir,
        status: e.status,
        exitCode: e.exitCode,
        ...(e.results ? { runId: e.results.runId, durationS: e.results.durationS, failed: failedChecks(e.results) } : {}),
        ...(e.reportPath ? { report: relative(outDir, e.reportPath).split('\\').join('/') } : {}),
        ...(e.error ? { error: e.error } : {}),
      })),
    };
    await writeFileAtomic(suitePath, `${JSON.stringify(summary, null, 2)}\n`);
    await writeFileAtomic(junitPath, junitFor(entries, dirname(junitPath)));
    // Skipped scenarios are listed too, saying why, so the index shows the whole suite.
    indexPath = await writeSuiteIndex(outDir, entries.map((e) => (e.status === 'skipped' ? { dir: e.outDir, word: 'SKIPPED', error: 'the suite was interrupted before this scenario started' } : e.outDir)));
  }
  if (options.junitPath) {
    const copy = resolve(options.junitPath);
    await writeFileAtomic(copy, junitFor(entries, dirname(copy)));
  }
  return { outDir, entries, exitCode, junitPath, ...(suitePath ? { suitePath } : {}), ...(indexPath ? { indexPath } : {}) };
}

/** One testsuite per scenario that left results; failures point at its report.html (results.json without one), relative to `junitDir`. */
function junitFor(entries: readonly SuiteEntry[], junitDir: string): string {
  return renderJunit(entries.filter((e) => e.results).map((e) => ({ results: e.results!, reportPath: linkFrom(junitDir, e.reportPath ?? join(e.outDir, 'results.json')) })));
}

function linkFrom(dir: string, path: string): string {
  return relative(dir, path).split('\\').join('/') || path;
}

/**
 * report.html and summary.md beside a run's results.json, and its own junit.xml rewritten so a
 * failure names report.html (the engine wrote it pointing at results.json, before any report
 * existed). A report that cannot be written is noted on the entry, never a reason to lose the run.
 */
async function withReports(entry: SuiteEntry): Promise<SuiteEntry> {
  if (!entry.results) return entry;
  try {
    const written = await writeReports(entry.outDir, entry.results);
    await writeFileAtomic(join(entry.outDir, 'junit.xml'), renderJunit([{ results: entry.results, reportPath: linkFrom(entry.outDir, written.reportPath) }]));
    return { ...entry, reportPath: written.reportPath, summaryPath: written.summaryPath };
  } catch (err) {
    return { ...entry, reportError: isPaychaosError(err) ? `${err.code}: ${err.message}` : (err as Error).message ?? String(err) };
  }
}

async function runOne(scenario: Scenario, outDir: string, options: SuiteOptions): Promise<SuiteEntry> {
  const base = { name: scenario.file.name, path: scenario.path, outDir };
  const runOptions: RunOptions = {
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.interruptGraceMs !== undefined ? { interruptGraceMs: options.interruptGraceMs } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    ...(options.onStarted ? { onStarted: options.onStarted } : {}),
    ...(options.progressIntervalMs !== undefined ? { progressIntervalMs: options.progressIntervalMs } : {}),
    ...(options.metrics ? { metrics: options.metrics } : {}),
  };
  try {
    const spec = toRunSpec(scenario, { paychaosVersion: options.paychaosVersion, outDir, ...(options.target ? { target: options.target } : {}), ...(options.attach ? { attach: options.attach } : {}) });
    const outcome = await runScenario(spec, runOptions);
    return { ...base, exitCode: outcome.exitCode, status: outcome.results.status, results: outcome.results };
  } catch (err) {
    // A part failed or the input was bad: the engine still wrote what it measured, when it got that far.
    const results = await readResults(join(outDir, 'results.json')).catch(() => undefined);
    const code = isPaychaosError(err) ? err.code : 'PAYCHAOS_ERR_HARNESS_BUG';
    const exitCode = isPaychaosError(err) ? err.exitCode : EXIT.HARNESS_FAILED;
    return { ...base, exitCode, status: 'error', ...(results ? { results } : {}), error: { code, message: err instanceof Error ? err.message : String(err) } };
  }
}

/** The names of what failed in a run (assertions, invariants, the canary). */
function failedChecks(results: Results): string[] {
  return [
    ...results.assertions.filter((a) => !a.passed).map((a) => a.name),
    ...results.invariants.filter((i) => !i.passed).map((i) => `invariant ${i.name}`),
    ...(results.canary && results.canary.verdict !== 'pass' ? [`canary ${results.canary.verdict}`] : []),
  ];
}

/**
 * A suite's exit code is its worst run's: interrupted (130) over the harness failing (3), over
 * bad input (2), over an assertion failing (1), over an inconclusive canary (4), over 0.
 */
export function worstExit(codes: readonly number[]): number {
  const rank = (c: number): number => ({ 130: 6, 3: 5, 2: 4, 1: 3, 4: 2, 0: 0 })[c] ?? 5;
  return codes.reduce((worst, c) => (rank(c) > rank(worst) ? c : worst), EXIT.OK as number);
}
