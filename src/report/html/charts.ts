import type { FaultRecord, Results } from '../results-schema.js';
import type { EventsDigest } from './events-digest.js';

/**
 * One chart of the report: an Apache ECharts option, built here (typed, testable) and inlined
 * as JSON; the page only calls setOption. Options hold no functions, so they survive JSON.
 */
export interface ChartSpec {
  readonly id: string;
  readonly title: string;
  /** What to read in it, one sentence under the title. */
  readonly caption: string;
  readonly option: Record<string, unknown>;
}

type Point = [number, number | null];

const FAULT_COLOUR = 'rgba(214, 39, 40, 0.13)';

/** Fault windows as an ECharts markArea: one shaded, labelled band per applied step. */
export function faultMarkArea(faults: readonly FaultRecord[]): Record<string, unknown> {
  return {
    silent: false,
    itemStyle: { color: FAULT_COLOUR },
    label: { show: true, position: 'insideTop', fontSize: 10, color: '#8a1c1c' },
    data: faults.map((f) => [{ name: `${f.type} ${f.target}`, xAxis: f.startS }, { xAxis: f.endS }]),
  };
}

function timeAxis(results: Pick<Results, 'durationS' | 'timeline' | 'faults'>): Record<string, unknown> {
  const last = Math.max(results.durationS, ...results.timeline.map((b) => b.t + 1), ...results.faults.map((f) => f.endS));
  return { type: 'value', name: 's', min: 0, max: Math.ceil(last), minInterval: 1 };
}

function base(results: Pick<Results, 'durationS' | 'timeline' | 'faults'>, yName: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    animation: false,
    tooltip: { trigger: 'axis' },
    legend: { top: 0, type: 'scroll' },
    grid: { left: 8, right: 16, top: 40, bottom: 8, containLabel: true },
    xAxis: timeAxis(results),
    yAxis: { type: 'value', name: yName },
    ...extra,
  };
}

function line(name: string, data: Point[], extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { name, type: 'line', showSymbol: false, connectNulls: false, data, ...extra };
}

const rate = (ok: number, n: number): number | null => (n > 0 ? Math.round((ok / n) * 10_000) / 100 : null);

/** Requests, successes, failures and pending answers per second, fault windows shaded. */
export function throughputChart(results: Results): ChartSpec {
  const tl = results.timeline;
  const series = [
    line('requests/s', tl.map((b) => [b.t, b.requests]), { markArea: faultMarkArea(results.faults), lineStyle: { width: 2 } }),
    line('succeeded/s', tl.map((b) => [b.t, b.succeeded])),
    line('failed/s', tl.map((b) => [b.t, b.failed])),
    line('pending/s', tl.map((b) => [b.t, b.pending])),
  ];
  return { id: 'throughput', title: 'Throughput', caption: 'Requests per second by scheduled start; shaded bands are fault windows.', option: { ...base(results, 'req/s'), series } };
}

/** Success rate per second: overall, per variant, and per provider when events.jsonl was read. */
export function successChart(results: Results, digest: EventsDigest | undefined): ChartSpec {
  const tl = results.timeline;
  const series: Record<string, unknown>[] = [line('all', tl.map((b) => [b.t, rate(b.succeeded, b.requests)]), { markArea: faultMarkArea(results.faults), lineStyle: { width: 3 } })];
  const variants = [...new Set(tl.flatMap((b) => Object.keys(b.byVariant)))].sort();
  if (variants.length > 1) {
    for (const v of variants) series.push(line(v, tl.map((b) => [b.t, rate(b.byVariant[v]?.succeeded ?? 0, b.byVariant[v]?.requests ?? 0)])));
  }
  if (digest && digest.providers.length > 1) {
    for (const p of digest.providers) {
      const perSecond = digest.byProviderSecond[p] ?? {};
      const points: Point[] = Object.entries(perSecond).map(([s, c]) => [Number(s), rate(c.succeeded, c.requests)]);
      series.push(line(p, points.sort((a, b) => a[0] - b[0]), { lineStyle: { type: 'dashed' } }));
    }
  }
  return {
    id: 'success-rate',
    title: 'Success rate',
    caption: 'Share of answers that succeeded, per second (pending counts against it); dashed lines are providers.',
    option: { ...base(results, '%', { yAxis: { type: 'value', name: '%', min: 0, max: 100 } }), series },
  };
}

/** Latency percentiles per second, fault windows shaded. */
export function latencyChart(results: Results): ChartSpec {
  const tl = results.timeline;
  const series = [
    line('p50', tl.map((b) => [b.t, b.p50]), { markArea: faultMarkArea(results.faults) }),
    line('p95', tl.map((b) => [b.t, b.p95])),
    line('p99', tl.map((b) => [b.t, b.p99])),
    line('max', tl.map((b) => [b.t, b.max]), { lineStyle: { type: 'dotted' } }),
  ];
  return { id: 'latency', title: 'Latency percentiles', caption: 'Per second of scheduled start, in ms, as the open model measures it (no coordinated omission).', option: { ...base(results, 'ms'), series } };
}

/** Error codes stacked per second (needs events.jsonl). */
export function errorsOverTimeChart(results: Results, digest: EventsDigest): ChartSpec | undefined {
  const seconds = Object.keys(digest.errorCodesBySecond).map(Number).sort((a, b) => a - b);
  const codes = [...new Set(Object.values(digest.errorCodesBySecond).flatMap((m) => Object.keys(m)))].sort();
  if (codes.length === 0) return undefined;
  const series = codes.map((code, i) => ({
    name: code,
    type: 'bar',
    stack: 'codes',
    barMaxWidth: 24,
    data: seconds.map((s) => [s, digest.errorCodesBySecond[s]?.[code] ?? 0]),
    ...(i === 0 ? { markArea: faultMarkArea(results.faults) } : {}),
  }));
  return { id: 'errors-over-time', title: 'Error codes over time', caption: 'Failed and pending answers per second by normalised error code.', option: { ...base(results, 'answers'), series } };
}

/**
 * Each code's share of the errors per provider and method (from events.jsonl), or per variant
 * and provider (from results.json alone).
 */
export function errorSharesChart(results: Results, digest: EventsDigest | undefined): ChartSpec | undefined {
  const rows: Array<[string, Readonly<Record<string, number>>]> = digest
    ? Object.entries(digest.errorCodesByProviderMethod)
    : Object.entries(results.variants).flatMap(([v, data]) => (data ? Object.entries(data.byProvider).map(([p, s]) => [`${v} · ${p}`, s.errorCodes] as [string, Record<string, number>]) : []));
  const withErrors = rows.filter(([, codes]) => Object.values(codes).some((n) => n > 0)).sort(([a], [b]) => a.localeCompare(b));
  if (withErrors.length === 0) return undefined;
  const codes = [...new Set(withErrors.flatMap(([, c]) => Object.keys(c)))].sort();
  const labels = withErrors.map(([name, c]) => `${name} (${Object.values(c).reduce((a, b) => a + b, 0)})`);
  const series = codes.map((code) => ({
    name: code,
    type: 'bar',
    stack: 'share',
    data: withErrors.map(([, c]) => {
      const total = Object.values(c).reduce((a, b) => a + b, 0);
      return Math.round(((c[code] ?? 0) / total) * 10_000) / 100;
    }),
  }));
  return {
    id: 'error-shares',
    title: digest ? 'Error codes by provider and method' : 'Error codes by variant and provider',
    caption: 'Each code\u2019s share of the errors in its row (the row\u2019s error count in brackets).',
    option: {
      animation: false,
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      legend: { top: 0, type: 'scroll' },
      grid: { left: 8, right: 16, top: 40, bottom: 8, containLabel: true },
      xAxis: { type: 'value', max: 100, name: '%' },
      yAxis: { type: 'category', data: labels },
      series,
    },
  };
}

/** Canary against baseline: success rate and latency percentiles side by side. */
export function variantsChart(results: Results): ChartSpec | undefined {
  const { baseline, canary } = results.variants;
  if (!baseline || !canary) return undefined;
  const metrics = ['p50', 'p90', 'p95', 'p99'] as const;
  return {
    id: 'variants',
    title: 'Canary vs baseline latency',
    caption: 'Latency percentiles of each variant over the whole run, in ms.',
    option: {
      animation: false,
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      legend: { top: 0 },
      grid: { left: 8, right: 16, top: 40, bottom: 8, containLabel: true },
      xAxis: { type: 'category', data: [...metrics] },
      yAxis: { type: 'value', name: 'ms' },
      series: [
        { name: 'baseline', type: 'bar', data: metrics.map((m) => baseline.latencyMs[m]) },
        { name: 'canary', type: 'bar', data: metrics.map((m) => canary.latencyMs[m]) },
      ],
    },
  };
}

/** Every chart the report has data for, in reading order. */
export function reportCharts(results: Results, digest: EventsDigest | undefined): ChartSpec[] {
  if (results.timeline.length === 0) return [errorSharesChart(results, digest), variantsChart(results)].filter((c): c is ChartSpec => c !== undefined);
  return [
    throughputChart(results),
    successChart(results, digest),
    latencyChart(results),
    digest ? errorsOverTimeChart(results, digest) : undefined,
    errorSharesChart(results, digest),
    variantsChart(results),
  ].filter((c): c is ChartSpec => c !== undefined);
}
