import type { Results } from '../results-schema.js';
import { reportCharts, type ChartSpec } from './charts.js';
import type { EventsDigest } from './events-digest.js';
import { chartFigure, page } from './page.js';
import { canarySection } from './section-canary.js';
import { faultsSection } from './section-faults.js';
import { figuresSection } from './section-figures.js';
import { invariantsSection } from './section-invariants.js';
import { partsSection } from './section-parts.js';
import type { StatementExcerpt } from './read-statement.js';
import { reconciliationSection } from './section-reconciliation.js';
import { serverSideSection } from './section-server-side.js';
import { paymentsSection } from './section-payments.js';
import { verdictSection } from './section-verdict.js';
import { faultStories } from './story.js';
import { verdictOf } from './verdict.js';

/**
 * report.html from a run's results (and the digest of its events.jsonl, when there is one), in
 * the order a reader asks: did it hold → what was injected and what happened → over time →
 * errors → canary → money → the reconciliation statement → single payments → the gateway's own view (its spans) → the stack's parts (crashes, CPU). Pure: no I/O beyond reading the chart library.
 */
export function renderReport(results: Results, digest?: EventsDigest, statement?: StatementExcerpt): string {
  const verdict = verdictOf(results);
  const charts = reportCharts(results, digest);
  const fig = (...ids: string[]) => charts.filter((c) => ids.includes(c.id));
  const grid = (specs: readonly ChartSpec[]) => (specs.length ? `<div class="charts">${specs.map(chartFigure).join('')}</div>` : '');
  const overTime = fig('throughput', 'success-rate', 'latency');
  const errors = fig('errors-over-time', 'error-shares');
  const reconciliation = reconciliationSection(results, statement);
  const nav = [['faults', 'What was injected'], ['over-time', 'Over time'], ['errors', 'Errors'], ...(results.variants.canary && results.variants.baseline ? [['canary', 'Canary']] : []), ['invariants', 'Money'], ...(reconciliation ? [['reconciliation', 'Reconciliation']] : []), ['payments', 'Payments'], ['server-side', 'Server side'], ['parts', 'Parts'], ['figures', 'Figures']];
  const body = [
    verdictSection(results, verdict),
    `<nav>${nav.map(([id, label]) => `<a href="#${id}">${label}</a>`).join('')}</nav>`,
    faultsSection(results, faultStories(results, digest)),
    `<section id="over-time"><h2>Over time</h2>${overTime.length ? grid(overTime) : '<p class="note">The results hold no per-second timeline.</p>'}</section>`,
    `<section id="errors"><h2>Errors</h2>${errors.length ? grid(errors) : '<p class="note">No errors: every answer succeeded.</p>'}</section>`,
    canarySection(results, grid(fig('variants'))),
    invariantsSection(results),
    ...(reconciliation ? [reconciliation] : []),
    paymentsSection(digest),
    serverSideSection(results),
    partsSection(results),
    figuresSection(results),
  ].join('\n');
  return page({ title: `paychaos ${results.scenario} — ${verdict.word}`, body, charts });
}
