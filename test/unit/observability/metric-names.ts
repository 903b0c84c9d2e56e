/**
 * The series our dashboards may name, read off real scrapes: the gateway's GET /metrics
 * (test/unit/gateway/gateway-metrics.test.ts, resilience-metrics.test.ts), the embedded proxy's -proxy-metrics, the judge's
 * GET /metrics, the harness's own GET /metrics (test/unit/telemetry/harness-metrics.test.ts), and
 * Prometheus' own `up`. A name outside this list is a typo or a series nobody
 * exports: its panel would be empty forever.
 */
const HISTOGRAMS = ['payment_duration_seconds', 'payment_provider_duration_seconds'];
export const KNOWN_METRICS: ReadonlySet<string> = new Set([
  'payment_requests_total',
  'payment_provider_calls_total',
  'payment_provider_retries_total',
  'payment_provider_breaker_state',
  'payment_failovers_total',
  ...HISTOGRAMS.flatMap((h) => [`${h}_bucket`, `${h}_sum`, `${h}_count`]),
  'toxiproxy_proxy_sent_bytes_total',
  'toxiproxy_proxy_received_bytes_total',
  'paychaos_canary_judgements_total',
  'paychaos_client_requests_total',
  ...['paychaos_client_duration_seconds'].flatMap((h) => [`${h}_bucket`, `${h}_sum`, `${h}_count`]),
  'paychaos_fault_active',
  'paychaos_recovery_seconds',
  'up',
]);

/** PromQL words that look like metric names but are functions, keywords or aggregations. */
const PROMQL_WORDS = new Set(['sum', 'by', 'without', 'rate', 'increase', 'histogram_quantile', 'scalar', 'ignoring', 'on', 'group_left', 'group_right', 'sort_desc', 'max', 'min', 'avg', 'count', 'label_values', 'and', 'or', 'unless', 'bool', 'offset']);

/**
 * Metric names in a PromQL expression that are not known. Label matchers (`{...}`), label lists
 * after by/without/ignoring/on (`(...)`), strings and numbers are removed first; what is left
 * that looks like an identifier and is not a PromQL word is a metric name.
 */
export function unknownMetricNames(expr: string): string[] {
  const stripped = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/\{[^}]*\}/g, '')
    .replace(/\b(by|without|ignoring|on|group_left|group_right)\s*\([^)]*\)/g, '')
    .replace(/\[[^\]]*\]/g, '')
    // label_values(metric, label): the label is not a metric.
    .replace(/label_values\(\s*([a-zA-Z_:][\w:]*)\s*,\s*[a-zA-Z_]\w*\s*\)/g, '$1');
  const names = stripped.match(/[a-zA-Z_:][\w:]*/g) ?? [];
  return names.filter((n) => !PROMQL_WORDS.has(n) && !/^\d/.test(n) && !KNOWN_METRICS.has(n));
}

/**
 * The series a run labels (its gateways' and the harness's): each must be filtered by the
 * dashboards' scenario and run variables. The proxy's, the judge's and `up` carry no run labels.
 */
const RUN_UNLABELLED = new Set(['toxiproxy_proxy_sent_bytes_total', 'toxiproxy_proxy_received_bytes_total', 'paychaos_canary_judgements_total', 'up']);
const RUN_FILTER = ['paychaos_scenario=~"$scenario"', 'paychaos_run=~"$run"'];

/**
 * Each selector of a run-labelled series in a PromQL expression that lacks the run filter, as
 * `metric{…}`. Label lists after by/without/… are dropped first; a `{…}` is consumed with the
 * name before it, so label names inside a selector are never read as metrics.
 */
export function selectorsWithoutRunFilter(expr: string): string[] {
  const stripped = expr.replace(/\b(by|without|ignoring|on|group_left|group_right)\s*\([^)]*\)/g, '');
  const missing: string[] = [];
  for (const m of stripped.matchAll(/([a-zA-Z_:][\w:]*)(\{[^}]*\})?/g)) {
    const name = m[1]!;
    if (!KNOWN_METRICS.has(name) || RUN_UNLABELLED.has(name)) continue;
    const matchers = (m[2] ?? '{}').slice(1, -1).split(/,\s*/);
    if (!RUN_FILTER.every((f) => matchers.includes(f))) missing.push(`${name}${m[2] ?? ''}`);
  }
  return missing;
}
