import { dashboard, labelVariable } from './build.js';
import type { Dashboard } from './model.js';
import { CALLS, CALL_DURATION_BUCKET, PROVIDER_TROUBLE, REQUESTS, quantile, rate, runSel, sel } from './promql.js';

/**
 * Failover drill: what the providers answered the gateway, and where payments went.
 * The gateway puts `payment.failover` on its spans, not on metric points (docs/observability.md),
 * so failovers show here as their effects: failed calls at the primary with a failover-class
 * code, calls per payment above 1, and the share of payments answered moving to the backup.
 * The harness's own paychaos_fault_active marks when each fault step was on.
 * Three panels are not filtered by the scenario and run variables: Toxiproxy's byte counters,
 * the gateways' `up` and the judge's verdicts come from the scrape of what runs now, and carry
 * no run labels (compose's static targets cannot know the run id); a run filter would only
 * blank them once a run is picked.
 */
export function failoverDashboard(): Dashboard {
  const s = (extra: Record<string, string> = {}) => sel(extra, ['variant', 'provider']);
  return dashboard(
    {
      uid: 'paychaos-failover',
      title: 'paychaos · Failover & providers',
      description: 'Provider calls and their outcomes, retries and failovers by provider, and where payments were answered, for failover drills.',
      tags: ['paychaos', 'failover', 'providers'],
    },
    [labelVariable('variant', 'Variant', CALLS, 'paychaos_variant'), labelVariable('provider', 'Provider', CALLS, 'payment_provider')],
    [
      { type: 'timeseries', title: 'Payments answered by provider', description: 'Payment answers per second by the provider that answered: during a failover the backup\'s line rises as the primary\'s falls.', unit: 'reqps', targets: [{ expr: `sum by (payment_provider) (${rate(REQUESTS, s())})`, legend: '{{payment_provider}}' }] },
      { type: 'timeseries', title: 'Provider calls by outcome', description: 'Calls to each provider per second by outcome, retries, failovers and status queries included.', unit: 'reqps', targets: [{ expr: `sum by (payment_provider, payment_outcome) (${rate(CALLS, s())})`, legend: '{{payment_provider}} {{payment_outcome}}' }] },
      { type: 'timeseries', title: 'Failover-class call failures', description: 'Failed provider calls whose code sends the gateway to a retry or another provider (network_error, provider_unavailable, provider_error, outcome_unknown, rate_limited, issuer_unavailable), by provider and code.', unit: 'reqps', targets: [{ expr: `sum by (payment_provider, payment_error_code) (${rate(CALLS, s({ payment_outcome: 'failed', payment_error_code: PROVIDER_TROUBLE }))})`, legend: '{{payment_provider}} {{payment_error_code}}' }] },
      { type: 'timeseries', title: 'Provider calls per payment', description: 'Provider calls per payment answered, by variant: 1 when every payment is one call; each retry or failover adds one.', unit: 'none', targets: [{ expr: `sum by (paychaos_variant) (${rate(CALLS, sel({}, ['variant']))}) / sum by (paychaos_variant) (${rate(REQUESTS, sel({}, ['variant']))})`, legend: '{{paychaos_variant}}' }] },
      { type: 'timeseries', title: 'Provider call latency p95', description: 'Time of one provider call, 95th percentile by provider, from payment_provider_duration_seconds buckets.', unit: 's', targets: [{ expr: quantile(0.95, CALL_DURATION_BUCKET, s(), ['payment_provider']), legend: '{{payment_provider}}' }] },
      { type: 'table', title: 'Failed calls by provider code', description: "Failed provider calls over the range by provider, normalised code and the provider's own code (ECONNREFUSED while a proxy is down).", unit: 'short', targets: [{ expr: `sort_desc(sum by (payment_provider, payment_error_code, payment_provider_code) (increase(${CALLS}${s({ payment_outcome: 'failed' })}[$__range])))`, legend: '', instant: true }] },
      { type: 'timeseries', title: 'Proxy traffic per link', description: 'Bytes per second through each Toxiproxy proxy (toxiproxy -proxy-metrics), both directions: flat at zero while a proxy is down.', unit: 'Bps', targets: [{ expr: 'sum by (proxy) (rate(toxiproxy_proxy_sent_bytes_total[$__rate_interval]))', legend: '{{proxy}}' }] },
      { type: 'timeseries', title: 'Fault steps active', description: "The harness's paychaos_fault_active: 1 while a scenario's fault step is active, 0 once it ended, by step (fault) and target — the windows to read the other panels against.", unit: 'none', min: 0, max: 1, targets: [{ expr: `max by (fault, target) (paychaos_fault_active${runSel()})`, legend: '{{fault}} → {{target}}' }] },
      { type: 'stat', title: 'Gateways up', description: 'Whether Prometheus reaches each gateway\'s /metrics (1 up, 0 down), by variant.', unit: 'none', targets: [{ expr: 'max by (paychaos_variant) (up{job="gateways"})', legend: '{{paychaos_variant}}' }], options: { reduceOptions: { calcs: ['lastNotNull'] }, textMode: 'value_and_name' } },
    ],
  );
}
