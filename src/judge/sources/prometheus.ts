import { request } from 'undici';
import { paychaosError } from '../../kernel/index.js';
import { type JudgeConfig, type MetricConfig, type JudgeInputs, type MetricInputs, isPrometheusDuration, renderQuery, weightedSample, type Proportion, type WeightedSample } from '../../analysis/index.js';

/** One element of an instant vector: its labels and its value. */
export interface PromSample {
  readonly metric: Readonly<Record<string, string>>;
  readonly value: number;
}

export interface PrometheusSourceOptions {
  /** Base URL of Prometheus (or anything serving its HTTP API: Thanos, Mimir's /prometheus). */
  readonly url: string;
  /** Overrides config.prometheus.window. */
  readonly window?: string;
  /** Override config.prometheus.variants (label values). */
  readonly baseline?: string;
  readonly canary?: string;
  /** Evaluation time; Prometheus' "now" when absent. */
  readonly time?: Date;
}

/**
 * Instant query over the Prometheus HTTP API (GET /api/v1/query). Vectors and scalars are
 * accepted; failures are coded: unreachable / 5xx / timeout → PROMETHEUS_UNREACHABLE (exit 3),
 * a rejected query or an unexpected result type → PROMETHEUS_QUERY.
 */
export async function queryPrometheus(baseUrl: string, query: string, options: { timeoutMs: number; time?: Date }): Promise<PromSample[]> {
  assertPrometheusUrl(baseUrl);
  const url = new URL('api/v1/query', baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`);
  url.searchParams.set('query', query);
  if (options.time) url.searchParams.set('time', String(options.time.getTime() / 1000));
  let status: number;
  let text: string;
  try {
    const res = await request(url, { method: 'GET', signal: AbortSignal.timeout(options.timeoutMs), headers: { accept: 'application/json' } });
    status = res.statusCode;
    text = await res.body.text();
  } catch (err) {
    throw paychaosError('PAYCHAOS_ERR_JUDGE_PROMETHEUS_UNREACHABLE', `Prometheus at ${baseUrl} did not answer: ${(err as Error).message}`, { url: baseUrl, query }, { cause: err });
  }
  let body: { status?: string; errorType?: string; error?: string; data?: { resultType?: string; result?: unknown } } | undefined;
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    body = undefined;
  }
  if (body === undefined && status < 500) {
    throw paychaosError('PAYCHAOS_ERR_JUDGE_PROMETHEUS_UNREACHABLE', `${baseUrl} does not answer like the Prometheus HTTP API (HTTP ${status}, not JSON)`, { url: baseUrl, query, status });
  }
  if (status >= 500 || (status !== 200 && body?.status !== 'error')) {
    throw paychaosError('PAYCHAOS_ERR_JUDGE_PROMETHEUS_UNREACHABLE', `Prometheus at ${baseUrl} answered HTTP ${status}: ${text.slice(0, 200)}`, { url: baseUrl, query, status });
  }
  if (body?.status !== 'success' || !body.data) {
    throw paychaosError('PAYCHAOS_ERR_JUDGE_PROMETHEUS_QUERY', `Prometheus rejected the query ${query}: ${body?.errorType ?? 'error'}: ${body?.error ?? text.slice(0, 200)}`, { query, status });
  }
  const { resultType, result } = body.data;
  if (resultType === 'scalar' && Array.isArray(result)) return [{ metric: {}, value: Number(result[1]) }];
  if (resultType !== 'vector' || !Array.isArray(result)) {
    throw paychaosError('PAYCHAOS_ERR_JUDGE_PROMETHEUS_QUERY', `the query ${query} returned a ${resultType}, not an instant vector`, { query, resultType });
  }
  return (result as Array<{ metric?: Record<string, string>; value?: [number, string] }>).map((r) => ({ metric: r.metric ?? {}, value: Number(r.value?.[1]) }));
}

/**
 * Why a Prometheus base URL cannot be used, or undefined when it can: it must parse, and speak
 * http or https (the HTTP API is all the judge uses).
 */
export function prometheusUrlProblem(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return `"${url}" is not a URL; give Prometheus' base URL, e.g. http://prometheus:9090`;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return `"${url}" is not an http:// or https:// URL`;
  return undefined;
}

/** Throw the coded error for a base URL prometheusUrlProblem refuses (never a bare TypeError). */
export function assertPrometheusUrl(url: string): void {
  const problem = prometheusUrlProblem(url);
  if (problem) throw paychaosError('PAYCHAOS_ERR_JUDGE_BAD_CONFIG', `the Prometheus URL ${problem}`, { url });
}

/**
 * Every metric's inputs from Prometheus: each query run once per variant. Counters arrive as
 * increase() over the window — fractional by extrapolation — and are rounded to whole requests.
 */
export async function inputsFromPrometheus(config: JudgeConfig, options: PrometheusSourceOptions): Promise<JudgeInputs> {
  const missing = config.metrics.filter((m) => !m.prometheus).map((m) => m.name);
  if (missing.length > 0) {
    throw paychaosError('PAYCHAOS_ERR_JUDGE_BAD_CONFIG', `judging from Prometheus needs a prometheus query block on every metric; missing on: ${missing.join(', ')}`, { missing });
  }
  const window = options.window ?? config.prometheus.window;
  const labels = { baseline: options.baseline ?? config.prometheus.variants.baseline, canary: options.canary ?? config.prometheus.variants.canary };
  // Every caller validates its own inputs (flags, HTTP parameters, config); this is the last
  // line, for whatever combination of them reaches Prometheus.
  const problems: string[] = [];
  if (!isPrometheusDuration(window)) problems.push(`window: expected a Prometheus duration like 10m, got "${window}"`);
  if (labels.baseline === '' || labels.canary === '') problems.push('baseline, canary: expected non-empty variant label values');
  if (labels.baseline === labels.canary) {
    problems.push(`baseline, canary: both are the variant label value "${labels.baseline}"; a canary judged against itself always passes, so give each side its own value`);
  }
  if (problems.length > 0) throw paychaosError('PAYCHAOS_ERR_JUDGE_BAD_REQUEST', `cannot judge from Prometheus:\n  ${problems.join('\n  ')}`, { problems, ...labels, window });
  const q = (template: string, variant: string): Promise<PromSample[]> =>
    queryPrometheus(options.url, renderQuery(template, variant, window), { timeoutMs: config.prometheus.timeoutMs, ...(options.time ? { time: options.time } : {}) });

  const entries = await Promise.all(
    config.metrics.map(async (m): Promise<[string, MetricInputs]> => {
      const [baseline, canary] = await Promise.all([metricFor(m, labels.baseline, q), metricFor(m, labels.canary, q)]);
      return [m.name, { kind: m.kind, baseline, canary } as MetricInputs];
    }),
  );
  return new Map(entries);
}

type Query = (template: string, variant: string) => Promise<PromSample[]>;

async function metricFor(m: MetricConfig, variant: string, q: Query): Promise<Proportion | WeightedSample | Record<string, number> | undefined> {
  switch (m.kind) {
    case 'proportion': {
      const p = m.prometheus!;
      const [events, total] = await Promise.all([q(p.events, variant), q(p.total, variant)]);
      if (total.length === 0) return undefined;
      const trials = Math.round(sum(total));
      // No failed series at all is zero failures, not missing data, once the total is known.
      const ev = Math.min(trials, Math.round(sum(events)));
      return trials > 0 ? { events: ev, trials } : undefined;
    }
    case 'latency': {
      const p = m.prometheus!;
      return bucketsToSample(await q(p.buckets, variant), p.unit === 's' ? 1000 : 1);
    }
    case 'distribution': {
      const p = m.prometheus!;
      const series = await q(p.byCode, variant);
      if (series.length === 0) return undefined;
      const counts: Record<string, number> = {};
      for (const s of series) {
        // Prometheus may answer NaN (e.g. a 0/0 in the query): no count, not a poisoned table.
        if (!Number.isFinite(s.value) || s.value < 0) continue;
        const code = s.metric[p.label] || 'unknown';
        counts[code] = (counts[code] ?? 0) + Math.round(s.value);
      }
      return counts;
    }
  }
}

/**
 * Cumulative `le` buckets → a weighted sample in ms: each bucket's count sits at its upper
 * bound (so percentiles read like histogram_quantile without interpolation, and both variants
 * share the bucketing the rank test needs). The +Inf bucket's overflow sits at the largest
 * finite bound: "at least this slow".
 */
export function bucketsToSample(series: readonly PromSample[], toMs: number): WeightedSample | undefined {
  const buckets = series
    .map((s) => ({ le: s.metric.le === undefined ? Number.NaN : s.metric.le === '+Inf' ? Infinity : Number(s.metric.le), count: s.value }))
    .filter((b) => !Number.isNaN(b.le) && Number.isFinite(b.count))
    .sort((a, b) => a.le - b.le);
  if (buckets.length === 0) return undefined;
  const pairs: Array<[number, number]> = [];
  let previous = 0;
  let lastFinite = 0;
  for (const b of buckets) {
    const count = Math.max(0, Math.round(b.count - previous));
    previous = Math.max(previous, b.count);
    const at = Number.isFinite(b.le) ? b.le : lastFinite;
    if (Number.isFinite(b.le)) lastFinite = b.le;
    if (count > 0) pairs.push([at * toMs, count]);
  }
  const sample = weightedSample(pairs);
  return sample.total > 0 ? sample : undefined;
}

function sum(samples: readonly PromSample[]): number {
  let s = 0;
  for (const x of samples) if (Number.isFinite(x.value)) s += x.value;
  return s;
}
