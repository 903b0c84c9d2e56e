import { dashboard, labelVariable } from './build.js';
import type { Dashboard } from './model.js';
import { DURATION_BUCKET, REQUESTS, quantile, rate, sel, successRatio } from './promql.js';

/**
 * Canary vs baseline: the same numbers for each variant side by side, then canary minus baseline,
 * so a release manager sees both the levels and the gap. Each side is aggregated to one series
 * (no labels) before subtracting, so the difference needs no label matching. The judge's
 * verdicts come from `paychaos serve judge` (paychaos_canary_judgements_total).
 */
export function canaryDashboard(): Dashboard {
  const v = (variant: string) => (extra: Record<string, string> = {}) => sel({ paychaos_variant: variant, ...extra }, ['provider', 'method']);
  const base = v('baseline');
  const can = v('canary');
  const side = (title: string, description: string, unit: string, of: (s: typeof base) => string, extra: { min?: number; max?: number } = {}) => [
    { type: 'timeseries' as const, title: `${title} — baseline`, description: `${description} Baseline only.`, unit, w: 8, ...extra, targets: [{ expr: of(base), legend: 'baseline' }] },
    { type: 'timeseries' as const, title: `${title} — canary`, description: `${description} Canary only.`, unit, w: 8, ...extra, targets: [{ expr: of(can), legend: 'canary' }] },
    { type: 'timeseries' as const, title: `${title} — canary minus baseline`, description: `${description} Canary minus baseline: below zero the canary is lower.`, unit, w: 8, targets: [{ expr: `(${of(can)}) - (${of(base)})`, legend: 'canary − baseline' }] },
  ];
  const errorShare = (s: typeof base) => `sum by (payment_error_code) (${rate(REQUESTS, s({ payment_outcome: 'failed' }))}) / scalar(sum (${rate(REQUESTS, s())}))`;
  return dashboard(
    {
      uid: 'paychaos-canary',
      title: 'paychaos · Canary vs baseline',
      description: 'The canary against its baseline under the same traffic and faults: levels side by side, then differences, and the judge.',
      tags: ['paychaos', 'canary'],
    },
    [labelVariable('provider', 'Provider', REQUESTS, 'payment_provider'), labelVariable('method', 'Method', REQUESTS, 'payment_method')],
    [
      ...side('Success rate', 'Succeeded / all payment answers.', 'percentunit', (s) => successRatio(s), { min: 0, max: 1 }),
      ...side('p95 latency', 'Time to answer a payment, 95th percentile from the histogram buckets.', 's', (s) => quantile(0.95, DURATION_BUCKET, s())),
      ...side('p99 latency', 'Time to answer a payment, 99th percentile from the histogram buckets.', 's', (s) => quantile(0.99, DURATION_BUCKET, s())),
      ...side('Throughput', 'Payment answers per second: the two should see the same traffic.', 'reqps', (s) => `sum (${rate(REQUESTS, s())})`),
      { type: 'timeseries', title: 'Error-code shares by variant', description: 'Each normalised error code as a share of the variant\'s payments, baseline and canary on one axis.', unit: 'percentunit', w: 12, targets: [{ expr: `sum by (paychaos_variant, payment_error_code) (${rate(REQUESTS, sel({ payment_outcome: 'failed' }, ['provider', 'method']))}) / ignoring (payment_error_code) group_left sum by (paychaos_variant) (${rate(REQUESTS, sel({}, ['provider', 'method']))})`, legend: '{{paychaos_variant}} {{payment_error_code}}' }] },
      { type: 'timeseries', title: 'Error-code shares — canary minus baseline', description: 'Per error code, the canary\'s share minus the baseline\'s (codes seen by both): a code the canary fails more often stands out above zero.', unit: 'percentunit', w: 12, targets: [{ expr: `(${errorShare(can)}) - (${errorShare(base)})`, legend: '{{payment_error_code}}' }] },
      { type: 'timeseries', title: 'Versions serving', description: 'Payment answers per second by variant and service version: which release each side runs.', unit: 'reqps', w: 12, targets: [{ expr: `sum by (paychaos_variant, service_version) (${rate(REQUESTS, sel({}, ['provider', 'method']))})`, legend: '{{paychaos_variant}} {{service_version}}' }] },
      { type: 'stat', title: 'Judge verdicts', description: 'Judgements `paychaos serve judge` made over the range, by verdict (pass, marginal, fail, inconclusive). Empty until the judge is scraped.', unit: 'short', w: 12, targets: [{ expr: 'sum by (verdict) (increase(paychaos_canary_judgements_total[$__range]))', legend: '{{verdict}}', instant: true }], options: { reduceOptions: { calcs: ['lastNotNull'] }, textMode: 'value_and_name' } },
    ],
  );
}
