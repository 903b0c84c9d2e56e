import type { JudgeReportRecord } from '../judge-report-schema.js';
import type { Results } from '../results-schema.js';
import { faultMarkArea, type ChartSpec } from './charts.js';
import { esc } from './escape.js';
import { chartFigure, page } from './page.js';
import { judgeBlock, sideBySide } from './section-canary.js';
import { verdictOf } from './verdict.js';

/** One side of a comparison: a run, the name shown for it, and which of its variants is compared. */
export interface ComparedRun {
  readonly label: string;
  readonly results: Results;
  readonly variant: 'baseline' | 'canary';
}

/**
 * Two runs of one scenario side by side (before and after a release): each run's own verdict,
 * the compared variants' figures and their differences, the canary judge's explanations with
 * the first run as baseline and the second as canary, and both runs' time series overlaid.
 */
export function renderComparison(before: ComparedRun, after: ComparedRun, judgement: JudgeReportRecord): string {
  const b = before.results.variants[before.variant]!;
  const a = after.results.variants[after.variant]!;
  const charts = comparisonCharts(before, after);
  const runLine = (r: ComparedRun) => {
    const v = verdictOf(r.results);
    return `<li><b>${esc(r.label)}</b>: run <code>${esc(r.results.runId)}</code> (${esc(r.results.scenario)}, ${esc(r.variant)}) — <span class="badge ${v.tone}">${esc(v.word)}</span> ${esc(v.because)}</li>`;
  };
  const tone = judgement.verdict === 'pass' ? 'ok' : judgement.verdict === 'fail' ? 'bad' : 'warn';
  const word = judgement.verdict === 'pass' ? 'NO REGRESSION' : judgement.verdict === 'fail' ? 'REGRESSED' : judgement.verdict.toUpperCase();
  const body = [
    '<header class="top"><p class="meta">paychaos comparison</p>',
    `<h1 id="verdict" class="verdict ${tone}" data-verdict="${esc(judgement.verdict)}">${esc(word)}</h1>`,
    `<p class="because">${esc(after.label)} judged against ${esc(before.label)} by the canary judge.</p>`,
    `<ul>${runLine(before)}${runLine(after)}</ul></header>`,
    before.results.scenario !== after.results.scenario ? `<p class="note">These are runs of different scenarios (${esc(before.results.scenario)}, ${esc(after.results.scenario)}): differences may come from the scenarios, not a release.</p>` : '',
    '<section id="judge"><h2>The judge</h2>',
    judgeBlock(judgement),
    '</section>',
    '<section id="figures"><h2>Side by side</h2>',
    sideBySide(before.label, b, after.label, a),
    '</section>',
    charts.length ? `<section id="over-time"><h2>Over time</h2><div class="charts">${charts.map(chartFigure).join('')}</div></section>` : '',
  ].join('\n');
  return page({ title: `paychaos comparison — ${word}`, body, charts });
}

function comparisonCharts(before: ComparedRun, after: ComparedRun): ChartSpec[] {
  if (before.results.timeline.length === 0 && after.results.timeline.length === 0) return [];
  const seriesOf = (r: ComparedRun, value: (b: Results['timeline'][number]) => number | null, first: boolean) => ({
    name: r.label,
    type: 'line',
    showSymbol: false,
    data: r.results.timeline.map((b) => [b.t, value(b)]),
    ...(first ? { markArea: faultMarkArea(r.results.faults) } : {}),
  });
  const rate = (b: Results['timeline'][number]) => (b.requests > 0 ? Math.round((b.succeeded / b.requests) * 10_000) / 100 : null);
  const option = (yName: string, series: unknown[]) => ({
    animation: false,
    tooltip: { trigger: 'axis' },
    legend: { top: 0 },
    grid: { left: 8, right: 16, top: 40, bottom: 8, containLabel: true },
    xAxis: { type: 'value', name: 's', min: 0 },
    yAxis: { type: 'value', name: yName },
    series,
  });
  return [
    { id: 'compare-success', title: 'Success rate', caption: `Per second, both runs; shaded: ${before.label}'s fault windows.`, option: option('%', [seriesOf(before, rate, true), seriesOf(after, rate, false)]) },
    { id: 'compare-p95', title: 'Latency p95', caption: 'Per second, both runs, in ms.', option: option('ms', [seriesOf(before, (b) => b.p95, true), seriesOf(after, (b) => b.p95, false)]) },
  ];
}
