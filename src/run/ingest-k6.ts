import { resolve } from 'node:path';
import { checkK6Inputs, k6ArrivalWindowS, k6LoadSection, readK6Run, type K6RunStats } from '../load/index.js';
import type { Results } from '../report/index.js';
import { Recorder } from './recorder.js';

export interface IngestK6Options {
  /** The NDJSON file(s) `k6 run --out json=FILE` wrote (one per k6-operator pod; .gz is fine). */
  path: string | readonly string[];
  outDir: string;
  runId: string;
  paychaosVersion: string;
  /**
   * The rate the run was configured for; when absent, the schedule load/*.js records in its
   * scenarios' tags, else estimated from the samples.
   */
  targetRate?: number;
  /** Defaults to the samples' scenario tag(s), joined with "+". */
  scenario?: string;
}

export interface IngestK6Outcome {
  results: Results;
  resultsPath: string;
  eventsPath: string;
  stats: K6RunStats;
  lines: number;
}

/**
 * `paychaos ingest k6`: a k6 run made elsewhere (one machine, or k6-operator's N pods) becomes
 * the same results.json and events.jsonl a paychaos run writes, through the same recorder:
 *
 *   out.json ──► readK6Run (src/load) ──event──► Recorder ──► results.json, events.jsonl
 */
export async function ingestK6Output(options: IngestK6Options): Promise<IngestK6Outcome> {
  const paths = typeof options.path === 'string' ? [options.path] : [...options.path];
  await checkK6Inputs(paths);
  const recorder = await Recorder.open({
    outDir: options.outDir,
    runId: options.runId,
    scenario: options.scenario ?? 'k6',
    paychaosVersion: options.paychaosVersion,
    header: { engine: 'k6', sources: paths.map((p) => resolve(p)) },
  });
  let read;
  try {
    read = await readK6Run(paths, (event) => recorder.payment(event));
  } catch (err) {
    await recorder.close().catch(() => {});
    throw err;
  }
  const { stats, lines } = read;
  const results = recorder.results({
    // The samples' own scenario tags name the run unless the caller did.
    ...(options.scenario === undefined && stats.scenarios.length ? { scenario: stats.scenarios.join('+') } : {}),
    startedAt: new Date(stats.firstStartMs ?? 0),
    endedAt: new Date(stats.lastEndMs ?? 0),
    // As the demo's: the seconds shoppers arrived in, k6's graceful stop excluded.
    durationS: k6ArrivalWindowS(stats),
    status: 'completed',
    load: k6LoadSection(stats, options.targetRate !== undefined ? { targetRate: options.targetRate } : {}),
  });
  // The demo's end line: k6 reports no in-flight shopper it cut, so none were aborted by paychaos.
  await recorder.finish(results, { abortedInFlight: 0 });
  return { results, resultsPath: recorder.resultsPath, eventsPath: recorder.eventsPath, stats, lines };
}
