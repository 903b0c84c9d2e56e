/**
 * The PromQL fragments every dashboard shares, over the gateway's real series (docs/gateway.md
 * "GET /metrics"): payment_requests_total, payment_duration_seconds_*, payment_provider_calls_total,
 * payment_provider_duration_seconds_*, labels paychaos_variant, payment_provider, payment_method,
 * payment_outcome, payment_error_code, payment_provider_code, service_version.
 * `$__rate_interval` is Grafana's: at least four scrape intervals, so rate() always has two points.
 */
export const REQUESTS = 'payment_requests_total';
export const DURATION_BUCKET = 'payment_duration_seconds_bucket';
export const CALLS = 'payment_provider_calls_total';
export const CALL_DURATION_BUCKET = 'payment_provider_duration_seconds_bucket';
/** The gateway's resilience series (gateway/metrics.ts): retries, breaker state (0 closed, 1 half-open, 2 open), failovers from → to. */
export const RETRIES = 'payment_provider_retries_total';
export const BREAKER_STATE = 'payment_provider_breaker_state';
export const FAILOVERS = 'payment_failovers_total';
/** The harness's time to recover per fault step (src/telemetry/harness RecoveryWatch). */
export const RECOVERY = 'paychaos_recovery_seconds';

/**
 * The labels naming the run a series belongs to (DESIGN.md "Telemetry conventions":
 * paychaos.scenario, paychaos.run), on every point of the gateways a run starts and of the
 * harness; every dashboard has a `scenario` and a `run` variable over them.
 */
export const SCENARIO_LABEL = 'paychaos_scenario';
export const RUN_LABEL = 'paychaos_run';

/**
 * The run filter every paychaos series gets, whatever else a panel picks. With All (`.*`) it also
 * matches series without the labels (a standalone gateway's: Prometheus stores no empty label,
 * and `.*` matches the empty string), so nothing disappears until one run is picked.
 */
export const RUN_MATCHERS = [`${SCENARIO_LABEL}=~"$scenario"`, `${RUN_LABEL}=~"$run"`] as const;

/** A run-filtered selector for a series with no other variables (the harness's paychaos_fault_active). */
export const runSel = (): string => `{${RUN_MATCHERS.join(', ')}}`;

/** The dashboard's variable filters, plus any fixed matchers: the run filter always. */
export function sel(extra: Record<string, string> = {}, variables: readonly ('variant' | 'provider' | 'method')[] = ['variant', 'provider', 'method']): string {
  const matchers = [
    ...RUN_MATCHERS,
    ...(variables.includes('variant') && !('paychaos_variant' in extra) ? ['paychaos_variant=~"$variant"'] : []),
    ...(variables.includes('provider') ? ['payment_provider=~"$provider"'] : []),
    ...(variables.includes('method') ? ['payment_method=~"$method"'] : []),
    ...Object.entries(extra).map(([k, v]) => (v.startsWith('~') ? `${k}=~"${v.slice(1)}"` : `${k}="${v}"`)),
  ];
  return `{${matchers.join(', ')}}`;
}

export const rate = (metric: string, selector: string, window = '$__rate_interval'): string => `rate(${metric}${selector}[${window}])`;

/** Succeeded / all answered, as a ratio 0..1, grouped by `by` (empty: one number). */
export function successRatio(selector: (extra?: Record<string, string>) => string, by: string[] = []): string {
  const g = by.length ? ` by (${by.join(', ')})` : '';
  return `sum${g} (${rate(REQUESTS, selector({ payment_outcome: 'succeeded' }))}) / sum${g} (${rate(REQUESTS, selector())})`;
}

export function quantile(q: number, bucket: string, selector: string, by: string[] = []): string {
  return `histogram_quantile(${q}, sum by (${[...by, 'le'].join(', ')}) (${rate(bucket, selector)}))`;
}

/** Provider codes where a retry or failover is the gateway's business (PROVIDERS.md advice), not the shopper's. */
export const PROVIDER_TROUBLE = '~network_error|provider_unavailable|provider_error|outcome_unknown|rate_limited|issuer_unavailable';
