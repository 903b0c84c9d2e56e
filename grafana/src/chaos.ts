import { dashboard, labelVariable } from './build.js';
import type { Dashboard } from './model.js';
import { DURATION_BUCKET, FAILOVERS, RECOVERY, REQUESTS, quantile, rate, runSel, sel, successRatio } from './promql.js';

/**
 * Chaos drill: what a drill did (the fault windows) against what shoppers got (success rate,
 * latency), how the gateway moved payments away (failovers, from → to), and how long each step
 * took to recover. The fault windows are the dashboards' annotation (build.ts FAULT_WINDOWS):
 * every time series here is shaded while a step was active.
 *
 * Two panels are filtered by scenario and run only, not by variant or provider: the harness's
 * paychaos_fault_active and paychaos_recovery_seconds belong to a fault step, whose `target` label
 * names the provider or gateway it acted on — they carry no payment_provider or paychaos_variant.
 * The failover panels filter the provider variable on the channel left (payment_failover_from):
 * picking a provider shows the payments that fled it.
 */
export function chaosDrillDashboard(): Dashboard {
  const s = (extra: Record<string, string> = {}) => sel(extra, ['variant', 'provider']);
  const fled = sel({ payment_failover_from: '~$provider' }, ['variant']);
  return dashboard(
    {
      uid: 'paychaos-chaos-drill',
      title: 'paychaos · Chaos drill',
      description: 'Fault windows over success rate and latency, failovers from each provider to the next, and time to recover after each fault step.',
      tags: ['paychaos', 'chaos', 'failover'],
    },
    [labelVariable('variant', 'Variant', REQUESTS, 'paychaos_variant'), labelVariable('provider', 'Provider', REQUESTS, 'payment_provider')],
    [
      { type: 'timeseries', title: 'Success rate during the drill', description: 'Succeeded / all payment answers per variant, with the fault windows shaded: a dip inside a window is the fault reaching shoppers; a flat line is a failover that held.', unit: 'percentunit', min: 0, max: 1, targets: [{ expr: successRatio(s, ['paychaos_variant']), legend: '{{paychaos_variant}}' }] },
      {
        type: 'timeseries',
        title: 'Latency p95 / p99 during the drill',
        description: 'Time to answer a payment at the gateway, 95th and 99th percentiles from payment_duration_seconds buckets, with the fault windows shaded: retries and failovers cost time.',
        unit: 's',
        targets: [
          { expr: quantile(0.95, DURATION_BUCKET, s()), legend: 'p95' },
          { expr: quantile(0.99, DURATION_BUCKET, s()), legend: 'p99' },
        ],
      },
      { type: 'timeseries', title: 'Fault steps active', description: "The harness's paychaos_fault_active: 1 while a scenario's fault step is active, 0 once it ended, by step (fault) and target. Filtered by scenario and run only: a step has a target, not a provider or variant label.", unit: 'none', min: 0, max: 1, targets: [{ expr: `max by (fault, target) (paychaos_fault_active${runSel()})`, legend: '{{fault}} → {{target}}' }] },
      { type: 'timeseries', title: 'Failovers per second, from → to', description: 'Payments leaving a provider for the next channel of their route, per second, by the channel left and the one taken (payment_failovers_total). The provider variable picks the channel left.', unit: 'reqps', targets: [{ expr: `sum by (payment_failover_from, payment_provider) (${rate(FAILOVERS, fled)})`, legend: '{{payment_failover_from}} → {{payment_provider}}' }] },
      { type: 'timeseries', title: 'Payments answered by provider', description: "Payment answers per second by the provider that answered: during a failover the backup's line rises as the primary's falls, and falls back once the primary recovers.", unit: 'reqps', targets: [{ expr: `sum by (payment_provider) (${rate(REQUESTS, s())})`, legend: '{{payment_provider}}' }] },
      { type: 'stat', title: 'Failovers over the range', description: 'Payments that left each provider over the dashboard range, by why (circuit_open, connection_refused, provider_unavailable, rate_limited; outcome_unknown only under that regression).', unit: 'short', targets: [{ expr: `sum by (payment_failover_from, payment_failover_reason) (increase(${FAILOVERS}${fled}[$__range]))`, legend: '{{payment_failover_from}} {{payment_failover_reason}}', instant: true }], options: { reduceOptions: { calcs: ['lastNotNull'] }, textMode: 'value_and_name' } },
      { type: 'stat', title: 'Time to recover', description: "Per fault step: seconds from the step's end to the first payment sent after it that the step's target (a provider, or a gateway variant after a kill) answered successfully itself — the harness's paychaos_recovery_seconds, the figure results.json reports as time_to_switch_back. Absent while the target has not recovered. Filtered by scenario and run only: it belongs to a step, not a provider or variant.", unit: 's', w: 24, h: 6, targets: [{ expr: `max by (fault, target) (${RECOVERY}${runSel()})`, legend: '{{fault}} → {{target}}', instant: true }], options: { reduceOptions: { calcs: ['lastNotNull'] }, textMode: 'value_and_name' } },
    ],
  );
}
