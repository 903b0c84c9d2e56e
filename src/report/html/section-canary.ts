import type { JudgeReportRecord } from '../judge-report-schema.js';
import type { Results } from '../results-schema.js';
import { esc } from './escape.js';
import { ms, msDelta, pct, pp } from './format.js';
import { badge, table, type Cell } from './table.js';

type VariantRecord = NonNullable<Results['variants']['baseline']>;

/** Two variants (or two runs) side by side, with the difference right minus left. */
export function sideBySide(leftName: string, left: VariantRecord, rightName: string, right: VariantRecord): string {
  const lat = (k: keyof VariantRecord['latencyMs']): Cell[] => [`latency ${k}`, ms(left.latencyMs[k]), ms(right.latencyMs[k]), msDelta(left.latencyMs[k], right.latencyMs[k])];
  const rows: Cell[][] = [
    ['requests', left.requests, right.requests, `${right.requests - left.requests >= 0 ? '+' : ''}${right.requests - left.requests}`],
    ['success rate', pct(left.successRate), pct(right.successRate), pp(right.successRate - left.successRate)],
    ['failed', left.failed, right.failed, pp(share(right.failed, right.requests) - share(left.failed, left.requests))],
    ['pending', left.pending, right.pending, pp(share(right.pending, right.requests) - share(left.pending, left.requests))],
    lat('p50'),
    lat('p95'),
    lat('p99'),
    lat('max'),
  ];
  const codes = [...new Set([...Object.keys(left.errorCodes), ...Object.keys(right.errorCodes)])].sort();
  for (const c of codes) {
    const a = left.errorCodes[c] ?? 0;
    const b = right.errorCodes[c] ?? 0;
    rows.push([`error ${c}`, a, b, pp(share(b, right.requests) - share(a, left.requests))]);
  }
  return table(['', leftName, rightName, `difference (${rightName} − ${leftName})`], rows, { id: 'side-by-side', numeric: [1, 2, 3] });
}

/** The canary judge's verdict, its reasons, and one row per metric with the judge's own explanation. */
export function judgeBlock(report: JudgeReportRecord): string {
  const tone = report.verdict === 'pass' ? 'ok' : report.verdict === 'fail' ? 'bad' : 'warn';
  const rows = report.metrics.map((m): Cell[] => [
    badge(m.classification, m.classification === 'pass' ? 'ok' : m.classification === 'high' || m.classification === 'low' ? 'bad' : 'muted'),
    m.name,
    m.group,
    `${m.samples.baseline} / ${m.samples.canary}`,
    m.reason,
  ]);
  return [
    `<p class="judge"><span id="canary-verdict" class="badge ${tone}" data-verdict="${esc(report.verdict)}">${esc(report.verdict.toUpperCase())}</span> score ${esc(report.score ?? 'n/a')} (pass ≥ ${esc(report.thresholds.pass)}, marginal ≥ ${esc(report.thresholds.marginal)})</p>`,
    report.reasons.length ? `<ul class="reasons">${report.reasons.map((x) => `<li>${esc(x)}</li>`).join('')}</ul>` : '',
    table(['', 'metric', 'group', 'samples (baseline / canary)', 'why'], rows, { id: 'judge-table', numeric: [3] }),
  ].join('\n');
}

/** Canary vs baseline, when the run had both. */
export function canarySection(r: Results, chart: string): string {
  const { baseline, canary } = r.variants;
  if (!baseline || !canary) return '';
  return [
    '<section id="canary"><h2>Canary vs baseline</h2>',
    r.canary ? judgeBlock(r.canary) : '<p class="note">Both variants ran but no canary judgement was recorded.</p>',
    sideBySide('baseline', baseline, 'canary', canary),
    chart,
    '</section>',
  ].join('\n');
}

function share(n: number, of: number): number {
  return of > 0 ? n / of : 0;
}
