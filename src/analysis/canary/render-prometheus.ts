import type { JudgeReport } from './result.js';

/**
 * The judgement as Prometheus text exposition (format 0.0.4), so Grafana can show why a canary
 * failed next to the traffic that failed it: the verdict and score, and per metric its
 * classification, p-value, effect and each variant's measured value.
 */
export function renderPrometheus(report: JudgeReport, labels: Readonly<Record<string, string>> = {}): string {
  const out: string[] = [];
  const family = (name: string, help: string): void => {
    out.push(`# HELP ${name} ${help}`, `# TYPE ${name} gauge`);
  };
  const sample = (name: string, extra: Record<string, string>, value: number | null): void => {
    if (value === null || Number.isNaN(value)) return;
    out.push(`${name}${labelSet({ ...labels, ...extra })} ${formatValue(value)}`);
  };

  family('paychaos_canary_score', 'Canary score, 0-100 (absent when nothing could be scored).');
  sample('paychaos_canary_score', {}, report.score);
  family('paychaos_canary_verdict', 'The verdict: 1 for the current one, 0 for the others.');
  for (const v of ['pass', 'marginal', 'fail', 'inconclusive']) sample('paychaos_canary_verdict', { verdict: v }, report.verdict === v ? 1 : 0);

  family('paychaos_canary_metric_classification', 'Per metric: 1 for its current classification, 0 for the others.');
  for (const m of report.metrics) {
    for (const c of ['pass', 'high', 'low', 'nodata', 'inconclusive']) sample('paychaos_canary_metric_classification', { metric: m.name, classification: c }, m.classification === c ? 1 : 0);
  }
  family('paychaos_canary_metric_p_value', 'Per metric: the p-value of its test.');
  for (const m of report.metrics) if (m.test) sample('paychaos_canary_metric_p_value', { metric: m.name, test: m.test.name }, m.test.pValue);
  family('paychaos_canary_metric_samples', 'Per metric and variant: the sample size judged (requests, latency samples or errors).');
  for (const m of report.metrics) {
    sample('paychaos_canary_metric_samples', { metric: m.name, variant: 'baseline' }, m.samples.baseline);
    sample('paychaos_canary_metric_samples', { metric: m.name, variant: 'canary' }, m.samples.canary);
  }
  const values: string[] = [];
  const effects: string[] = [];
  for (const m of report.metrics) {
    const e = m.effect;
    const v = (variant: string, value: number): void => void values.push(`paychaos_canary_metric_value${labelSet({ ...labels, metric: m.name, variant })} ${formatValue(value)}`);
    const f = (measure: string, value: number | null): void => {
      if (value !== null) effects.push(`paychaos_canary_metric_effect${labelSet({ ...labels, metric: m.name, measure })} ${formatValue(value)}`);
    };
    if (e?.kind === 'proportion') {
      v('baseline', e.baselineRate);
      v('canary', e.canaryRate);
      f('difference_pp', e.differencePp);
      f('tolerance_pp', e.tolerancePp);
    } else if (e?.kind === 'latency') {
      v('baseline', e.baselineMs);
      v('canary', e.canaryMs);
      f('ratio', e.ratio);
      f('max_ratio', e.maxRatio);
      f('shift_ms', e.shiftMs);
    } else if (e?.kind === 'distribution') {
      f('shift_pp', e.shiftPp);
      f('max_shift_pp', e.maxShiftPp);
    }
  }
  // Families must be contiguous, so both are collected in one pass and written one after the other.
  family('paychaos_canary_metric_value', 'Per metric and variant: the measured value (a rate 0-1, or a latency percentile in ms).');
  out.push(...values);
  family('paychaos_canary_metric_effect', 'Per metric: the effect size (difference_pp, ratio, shift_ms, shift_pp) and its tolerance.');
  out.push(...effects);
  return `${out.join('\n')}\n`;
}

function labelSet(labels: Record<string, string>): string {
  const entries = Object.entries(labels);
  if (entries.length === 0) return '';
  return `{${entries.map(([k, v]) => `${k}="${v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"')}"`).join(',')}}`;
}

function formatValue(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  return String(v);
}
