import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HIT_NOTHING, judgeReportSchema, readResults, renderComparison, verdictOf, writeFileAtomic, writeReports, writeSuiteIndex, type Results } from '../../../src/report/index.js';
import { browserUnavailable, withBrowser } from '../../helpers/browser.js';
import { HOSTILE, reportFixture, writeFixture } from '../../helpers/report-fixture.js';
import { hostileProblems, visit } from '../../helpers/report-visit.js';
import type { BrowserContext } from 'playwright-core';

const skip = browserUnavailable();
if (skip) console.warn(`report browser tests skipped: ${skip}`);

async function written(fixture = reportFixture(), options: { events?: boolean; statement?: boolean } = {}): Promise<{ dir: string; results: Results; report: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'paychaos-report-'));
  const path = await writeFixture(dir, fixture, options);
  const results = await readResults(path);
  const { reportPath } = await writeReports(dir, results);
  return { dir, results, report: reportPath };
}

describe.skipIf(skip)('report.html in headless chromium', () => {
  it('draws every chart offline, shades the fault windows where results say, and states the verdict', async () => {
    const { results, report } = await written();
    await withBrowser(async (context) => {
      const v = await visit(context, report, 'report-laptop.png');
      expect(v.consoleErrors).toEqual([]);
      expect(v.requests).toEqual([]);
      expect(v.verdict).toBe(verdictOf(results).word);
      expect(v.verdict).toBe('FAILED');
      expect(v.canaryVerdict).toBe(results.canary!.verdict);
      expect(v.charts.map((c) => c.id).sort()).toEqual(['error-shares', 'errors-over-time', 'latency', 'success-rate', 'throughput', 'variants']);
      for (const c of v.charts) {
        expect(c.series, c.id).toBeGreaterThan(0);
        expect(c.points, c.id).toBeGreaterThan(0);
        expect(c.drawn, c.id).toBe(true);
      }
      const windows = results.faults.map((f) => [f.startS, f.endS]);
      for (const id of ['throughput', 'success-rate', 'latency', 'errors-over-time']) {
        expect(v.charts.find((c) => c.id === id)!.markAreas, id).toEqual(windows);
      }
      // The failover story, told from the events.
      expect(v.text).toContain('first failed answer through stripe (0 s after it died)');
      expect(v.text).toContain('the gateway noticed: first payment failed over away from stripe (time to detect 1 s)');
      expect(v.text).toContain('sim-stripe crashed: killed by the timeline');
      expect(v.text).toContain('baseline.successRate >= 0.99');
    });
  });

  it('escapes hostile order ids, messages, provider codes and trace ids: they show as text and run nothing', async () => {
    // report-xss-control.test.ts proves this check turns red against a report rendered without escaping.
    const { report } = await written();
    const html = await readFile(report, 'utf8');
    await withBrowser(async (context) => {
      const v = await visit(context, report, 'report-xss.png');
      expect(hostileProblems(html, v)).toEqual([]);
    });
  });

  it('filters the reconciliation statement in the page, offline: by order id, by method, by time', async () => {
    const { dir, report } = await written();
    const html = await readFile(report, 'utf8');
    // Negative control: the same page without its filter script must fail the very same checks.
    const broken = join(dir, 'report-no-filter.html');
    await writeFile(broken, html.replace(/<script>\(function \(\) \{\n  var form = document.getElementById\('statement-filter'\);[\s\S]*?<\/script>/, ''));
    expect((await readFile(broken, 'utf8')).length).toBeLessThan(html.length);
    await withBrowser(async (context) => {
      expect(await filtered(context, report)).toEqual({ all: 3, byOrder: 1, byMethod: 1, bySince: 1, shown: '1', errors: [], requests: [] });
      expect((await filtered(context, broken)).byOrder).toBe(3);
      // The filter form and the wide statement still fit a phone (the table scrolls in its box).
      const phone = await visit(context, report, 'report-phone-statement.png', { width: 390, height: 844 });
      expect(phone.overflowPx).toBeLessThanOrEqual(0);
    });
  });

  it('renders from results.json alone, and fits a phone without sideways scrolling', async () => {
    const { report } = await written(reportFixture(), { events: false, statement: false });
    await withBrowser(async (context) => {
      const v = await visit(context, report, 'report-phone-results-only.png', { width: 390, height: 844 });
      expect(v.consoleErrors).toEqual([]);
      expect(v.requests).toEqual([]);
      expect(v.overflowPx).toBeLessThanOrEqual(0);
      expect(v.charts.map((c) => c.id).sort()).toEqual(['error-shares', 'latency', 'success-rate', 'throughput', 'variants']);
      for (const c of v.charts) expect(c.drawn, c.id).toBe(true);
      expect(v.text).toContain('events.jsonl was not found');
      expect(v.text).toContain('reconciliation.csv was not found');
    });
  });

  it('shows what each fault step observed, and the step that hit nothing in a call-out a reader sees, on a phone too', async () => {
    const fixture = reportFixture();
    const provider = { type: 'charged-then-error', layer: 'provider', startS: 3, endS: 9, plannedAtS: 3, plannedForS: 6 } as const;
    const faults: Results['faults'] = [
      ...fixture.results.faults,
      { ...provider, id: 'stripe-lies', target: 'stripe', observed: { commitThenError: 7 } },
      { ...provider, id: 'adyen-lies', target: 'adyen', observed: { commitThenError: 0 } },
    ];
    const { dir, report } = await written({ ...fixture, results: { ...fixture.results, faults } });
    const html = await readFile(report, 'utf8');
    // Negative control: the same page with the call-out hidden must fail the very same check.
    const hidden = join(dir, 'report-hidden-callout.html');
    await writeFile(hidden, html.replace('</style>', '.hit-nothing { display: none; }</style>'));
    await withBrowser(async (context) => {
      const v = await visit(context, report, 'report-phone-observed.png', { width: 390, height: 844 });
      expect(v.consoleErrors).toEqual([]);
      expect(v.requests).toEqual([]);
      expect(v.overflowPx).toBeLessThanOrEqual(0);
      const callout = `adyen-lies (charged-then-error on adyen, 3 s–9 s, observed commitThenError 0): ${HIT_NOTHING}`;
      expect(v.text).toContain(callout);
      expect(v.text).not.toContain('stripe-lies (charged-then-error on stripe');
      expect(v.text).toContain('commitThenError 7');
      expect(v.text).toMatch(/hit nothing\s+commitThenError 0/);
      expect(v.text).toContain('not counted');
      expect(v.text).toContain(`while it was on, adyen acted on it: commitThenError 0 — ${HIT_NOTHING}`);
      expect((await visit(context, hidden, 'report-hidden-callout.png', { width: 390, height: 844 })).text).not.toContain(callout);
    });
  });

  it('draws a two-run comparison and a suite index the same way: offline, without errors', async () => {
    const { dir, results } = await written();
    const other = { ...results, runId: 'fixture-run-2' };
    const comparison = join(dir, 'comparison.html');
    await writeFileAtomic(comparison, renderComparison({ label: 'before', results, variant: 'baseline' }, { label: 'after', results: other, variant: 'baseline' }, judgeReportSchema.parse(results.canary)));
    const index = await writeSuiteIndex(join(dir, '..'), [dir]);
    await withBrowser(async (context) => {
      const c = await visit(context, comparison, 'comparison.png');
      expect(c.consoleErrors).toEqual([]);
      expect(c.requests).toEqual([]);
      expect(c.charts.map((x) => x.id)).toEqual(['compare-success', 'compare-p95']);
      for (const x of c.charts) expect(x.drawn, x.id).toBe(true);
      expect(c.verdict).toBe(results.canary!.verdict);
    });
    expect(await readFile(index, 'utf8')).toContain('report.html');
  });
});

/** Rows of the statement left visible after typing an order id, choosing a method, or giving a start time. */
async function filtered(context: BrowserContext, path: string) {
  const requests: string[] = [];
  const errors: string[] = [];
  const page = await context.newPage();
  try {
    page.on('request', (r) => void (r.url().startsWith('file:') || requests.push(r.url())));
    page.on('pageerror', (e) => void errors.push(String(e)));
    await page.goto(pathToFileURL(path).href, { waitUntil: 'load' });
    const visible = () => page.locator('#statement-table tbody tr:visible').count();
    const all = await visible();
    await page.fill('#statement-filter input[name=order]', 'order-3');
    const byOrder = await visible();
    await page.fill('#statement-filter input[name=order]', '');
    await page.selectOption('#statement-filter select[name=method]', 'wallet');
    const byMethod = await visible();
    await page.selectOption('#statement-filter select[name=method]', '');
    await page.fill('#statement-filter input[name=since]', '2026-11-11T00:00:10');
    const bySince = await visible();
    const shown = await page.locator('#statement-shown').textContent();
    return { all, byOrder, byMethod, bySince, shown, errors, requests };
  } finally {
    await page.close();
  }
}
