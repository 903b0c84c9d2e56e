import { paychaosError } from '../../kernel/index.js';

/**
 * One line of `k6 run --out json=FILE`: NDJSON with two kinds of record,
 *   {"type":"Metric","metric":"http_reqs","data":{"name":…,"type":"counter",…}}
 *   {"type":"Point","metric":"http_reqs","data":{"time":"…Z","value":1,"tags":{…},"metadata"?:{…}}}
 * (k6 v0.48; `metadata` carries the high-cardinality values a script set with
 * exec.vu.metrics.metadata.)
 */
export interface K6Point {
  type: 'Point';
  metric: string;
  /** Epoch ms of the sample (k6 stamps HTTP samples when the response ended). */
  timeMs: number;
  value: number;
  tags: Readonly<Record<string, string>>;
  metadata: Readonly<Record<string, string>>;
}

export interface K6MetricDeclaration {
  type: 'Metric';
  metric: string;
  metricType: string;
}

export type K6Record = K6Point | K6MetricDeclaration;

/** Where a line came from, for error messages that name the file and line. */
export interface LineSource {
  path: string;
  line: number;
}

/** Parse one line; blank lines give undefined. Anything else that is not a k6 record is bad input. */
export function parseK6Line(text: string, at: LineSource): K6Record | undefined {
  if (text.trim() === '') return undefined;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw bad(at, `not JSON (${(err as Error).message})`);
  }
  if (typeof json !== 'object' || json === null) throw bad(at, 'expected a JSON object');
  const rec = json as { type?: unknown; metric?: unknown; data?: Record<string, unknown> };
  if (typeof rec.metric !== 'string' || typeof rec.data !== 'object' || rec.data === null) throw bad(at, 'expected a k6 record with "metric" and "data"');
  if (rec.type === 'Metric') return { type: 'Metric', metric: rec.metric, metricType: typeof rec.data.type === 'string' ? rec.data.type : '' };
  if (rec.type !== 'Point') throw bad(at, `unknown record type ${JSON.stringify(rec.type)} (expected "Metric" or "Point")`);
  const { time, value, tags, metadata } = rec.data;
  const timeMs = typeof time === 'string' ? Date.parse(time) : Number.NaN;
  if (!Number.isFinite(timeMs)) throw bad(at, `Point of ${rec.metric}: data.time is not an RFC 3339 time`);
  if (typeof value !== 'number' || !Number.isFinite(value)) throw bad(at, `Point of ${rec.metric}: data.value is not a number`);
  return { type: 'Point', metric: rec.metric, timeMs, value, tags: stringRecord(tags), metadata: stringRecord(metadata) };
}

function stringRecord(value: unknown): Record<string, string> {
  if (typeof value !== 'object' || value === null) return {};
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(value)) if (v !== null && v !== undefined) out[k] = String(v);
  return out;
}

function bad(at: LineSource, what: string): Error {
  return paychaosError('PAYCHAOS_ERR_K6_BAD_OUTPUT', `${at.path}:${at.line}: ${what}`, { path: at.path, line: at.line });
}
