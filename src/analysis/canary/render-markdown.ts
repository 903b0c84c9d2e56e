import { fmt } from './classify/format.js';
import type { JudgeReport, MetricResult } from './result.js';

const ICON: Record<string, string> = { pass: '✅', high: '❌', low: '❌', nodata: '⚪', inconclusive: '⚠️' };

/** The report as Markdown: the verdict and why first, then one row per metric, then the detail. */
export function renderMarkdown(report: JudgeReport): string {
  const lines: string[] = [];
  const score = report.score === null ? 'n/a' : fmt(report.score, 1);
  lines.push(`## Canary verdict: **${report.verdict.toUpperCase()}** (score ${score}; pass ≥ ${report.thresholds.pass}, marginal ≥ ${report.thresholds.marginal})`, '');
  for (const r of report.reasons) lines.push(`- ${r}`);
  lines.push('', '| metric | group | class | baseline | canary | effect | test | p-value |', '|---|---|---|---|---|---|---|---|');
  for (const m of report.metrics) lines.push(row(m));
  lines.push('', '| group | weight | score | passed | failed | unscored |', '|---|---|---|---|---|---|');
  for (const g of report.groups) lines.push(`| ${g.name} | ${g.weight} | ${g.score === null ? 'n/a' : fmt(g.score, 1)} | ${g.passed} | ${g.failed} | ${g.unscored} |`);
  lines.push('', '### Why, metric by metric', '');
  for (const m of report.metrics) {
    const flags = [m.critical ? 'critical' : '', m.mustHaveData ? 'must have data' : ''].filter(Boolean).join(', ');
    lines.push(`- **${m.name}** (${m.kind}, ${m.direction}${flags ? `, ${flags}` : ''}) — ${m.classification}: ${m.reason}. Samples: baseline ${m.samples.baseline}, canary ${m.samples.canary}, minimum ${m.samples.minimum}.`);
  }
  return `${lines.join('\n')}\n`;
}

function row(m: MetricResult): string {
  const e = m.effect;
  let baseline = '';
  let canary = '';
  let effect = '';
  if (e?.kind === 'proportion') {
    baseline = `${fmt(e.baselineRate * 100)}%`;
    canary = `${fmt(e.canaryRate * 100)}%`;
    effect = `${e.differencePp >= 0 ? '+' : ''}${fmt(e.differencePp)} pp (±${fmt(e.tolerancePp)})`;
  } else if (e?.kind === 'latency') {
    baseline = `p${fmt(e.percentile)} ${fmt(e.baselineMs)} ms`;
    canary = `p${fmt(e.percentile)} ${fmt(e.canaryMs)} ms`;
    effect = `×${e.ratio === null ? '∞' : fmt(e.ratio)} (≤ ×${fmt(e.maxRatio)}), shift ${fmt(e.shiftMs)} ms`;
  } else if (e?.kind === 'distribution') {
    baseline = `${m.samples.baseline} errors`;
    canary = `${m.samples.canary} errors`;
    effect = `${fmt(e.shiftPp, 2)} pp moved (≤ ${fmt(e.maxShiftPp)})${e.moved.length ? `: ${e.moved.join(', ')}` : ''}`;
  } else {
    baseline = String(m.samples.baseline);
    canary = String(m.samples.canary);
  }
  const test = m.test ? `${m.test.name}${m.test.method ? ` (${m.test.method})` : ''}` : '';
  const p = m.test ? (m.test.pValue < 1e-4 ? m.test.pValue.toExponential(1) : fmt(m.test.pValue, 4)) : '';
  return `| ${m.name} | ${m.group} | ${ICON[m.classification] ?? ''} ${m.classification} | ${baseline} | ${canary} | ${effect} | ${test} | ${p} |`;
}
