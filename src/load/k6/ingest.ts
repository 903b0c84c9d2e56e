import { access, constants } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Aggregator } from '../../analysis/index.js';
import { paychaosError } from '../../kernel/index.js';
import { EventsWriter, buildResults, prepareOutDir, writeFileAtomic, type Results } from '../../report/index.js';
import { K6EventMapper, type K6RunStats } from './k6-events.js';
import { k6LoadSection, k6SpanS } from './k6-load.js';
import { readK6Output } from './read-k6-output.js';

export interface IngestK6Options {
  /** The NDJSON file(s) `k6 run --out json=FILE` wrote (one per k6-operator pod; .gz is fine). */
  path: string | readonly string[];
  outDir: string;
  runId: string;
  paychaosVersion: string;
  /** The rate the run was configured for; estimated from the samples when absent. */
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
 * the same results.json and events.jsonl a paychaos run writes, through the same aggregator:
 *
 *   out.json ──line──► parseK6Line ──► K6EventMapper ──event──► Aggregator ──► results.json
 *                                                       └──────► events.jsonl
 */
export async function ingestK6Output(options: IngestK6Options): Promise<IngestK6Outcome> {
  const paths = typeof options.path === 'string' ? [options.path] : [...options.path];
  // The inputs are checked first, so a typo in a path leaves no empty output directory behind.
  for (const path of paths) {
    await access(path, constants.R_OK).catch((err: NodeJS.ErrnoException) => {
      throw paychaosError('PAYCHAOS_ERR_K6_BAD_OUTPUT', `cannot read k6 output ${path}: ${err.code ?? err.message}`, { path });
    });
  }
  const outDir = resolve(options.outDir);
  await prepareOutDir(outDir);
  const resultsPath = join(outDir, 'results.json');
  const eventsPath = join(outDir, 'events.jsonl');
  const events = new EventsWriter(eventsPath);
  const aggregator = new Aggregator();
  const mapper = new K6EventMapper();
  events.write({ type: 'run', runId: options.runId, scenario: options.scenario ?? 'k6', engine: 'k6', sources: paths.map((p) => resolve(p)) });

  let lines: number;
  try {
    lines = await readK6Output(paths, (record) => {
      const event = mapper.accept(record);
      if (!event) return;
      aggregator.record(event);
      events.write({ type: 'payment', ...event });
    });
  } finally {
    await events.close().catch(() => {});
  }
  const stats = mapper.stats();
  if (stats.payments === 0) {
    throw paychaosError(
      'PAYCHAOS_ERR_K6_BAD_OUTPUT',
      `${paths.join(', ')}: no payment requests in ${lines} lines (expected paychaos_client_duration samples from load/*.js, or http_req_duration samples of POST …/payments)`,
      { paths, lines },
    );
  }

  const results = buildResults({
    runId: options.runId,
    scenario: options.scenario ?? (stats.scenarios.length ? stats.scenarios.join('+') : 'k6'),
    startedAt: new Date(stats.firstStartMs ?? 0),
    endedAt: new Date(stats.lastEndMs ?? 0),
    durationS: k6SpanS(stats),
    status: 'completed',
    paychaosVersion: options.paychaosVersion,
    load: k6LoadSection(stats, options.targetRate),
    snapshot: aggregator.snapshot(),
  });
  await writeFileAtomic(resultsPath, `${JSON.stringify(results, null, 2)}\n`);
  return { results, resultsPath, eventsPath, stats, lines };
}
