import { mkdir, mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BrowserContext } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { judgeReportSchema, readResults, renderComparison, verdictOf, writeFileAtomic, writeReports, writeSuiteIndex, type Results } from '../../../src/report/index.js';
import { browserUnavailable, withBrowser } from '../../helpers/browser.js';
import { HOSTILE, reportFixture, writeFixture } from '../../helpers/report-fixture.js';

/** Screenshots land here: CI keeps paychaos-results/ as its artifact directory. */
const ARTIFACTS = join(import.meta.dirname, '../../../paychaos-results/test-artifacts/report');
const skip = browserUnavailable();

/* The page's globals, as far as these tests read them (the tests' tsconfig has no DOM lib). */
interface EchartsLike {
  getOption(): { series: Array<{ data?: unknown[]; markArea?: { data?: Array<[{ xAxis: number }, { xAxis: number }]> } }> };
}
declare const window: { paychaosCharts?: Record<string, EchartsLike>; __xss?: unknown; innerWidth: number };
// eslint-disable-next-line @typescript-eslint/no-explicit-any
declare const document: any;
if (skip) console.warn(`report browser tests skipped: ${skip}`);

interface ChartState {
  id: string;
  series: number;
  points: number;
  drawn: boolean;
  markAreas: Array<[number, number]>;
}

interface Visit {
  consoleErrors: string[];
  requests: string[];
  charts: ChartState[];
  verdict: string | null;
  canaryVerdict: string | null;
  text: string;
  xss: unknown;
  overflowPx: number;
}

/** Open a report the way a reader does (file://), counting every request and console error. */
async function visit(context: BrowserContext, path: string, screenshot: string, viewport = { width: 1280, height: 900 }): Promise<Visit> {
  const url = pathToFileURL(path).href;
  const requests: string[] = [];
  const consoleErrors: string[] = [];
  await context.route('**/*', (route) => {
    if (route.request().url() === url) return route.continue();
    requests.push(route.request().url());
    return route.abort();
  });
  const page = await context.newPage();
  try {
    await page.setViewportSize(viewport);
    page.on('request', (r) => void (r.url() !== url && requests.push(r.url())));
    page.on('console', (m) => void (m.type() === 'error' && consoleErrors.push(m.text())));
    page.on('pageerror', (e) => void consoleErrors.push(String(e)));
    await page.goto(url, { waitUntil: 'load' });
    await page.waitForFunction(() => window.paychaosCharts !== undefined, undefined, { timeout: 10_000 });
    const state = await page.evaluate(() => {
      const charts = window.paychaosCharts!;
      const out = [...(document.querySelectorAll('[data-chart]') as Iterable<{ dataset: { chart: string }; querySelector(s: string): any }>)].map((el) => {
        const id = el.dataset.chart;
        const option = charts[id]?.getOption();
        const series = option?.series ?? [];
        const canvas = el.querySelector('canvas') as { width: number; height: number; getContext(k: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } } } | null;
        let drawn = false;
        if (canvas && canvas.width > 0 && canvas.height > 0) {
          const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
          for (let i = 3; i < pixels.length; i += 4) if (pixels[i]! > 0) { drawn = true; break; }
        }
        return {
          id,
          series: series.length,
          points: series.reduce((n, s) => n + (s.data?.length ?? 0), 0),
          drawn,
          markAreas: series.flatMap((s) => (s.markArea?.data ?? []).map((d) => [d[0].xAxis, d[1].xAxis] as [number, number])),
        };
      });
      return {
        charts: out,
        verdict: document.getElementById('verdict')?.dataset.verdict ?? null,
        canaryVerdict: document.getElementById('canary-verdict')?.dataset.verdict ?? null,
        text: document.body.innerText,
        xss: window.__xss,
        overflowPx: document.documentElement.scrollWidth - window.innerWidth,
      };
    });
    await mkdir(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, screenshot), fullPage: true });
    return { ...state, consoleErrors, requests };
  } finally {
    await page.close();
    await context.unroute('**/*');
  }
}

async function written(fixture = reportFixture(), options: { events?: boolean } = {}): Promise<{ dir: string; results: Results; report: string }> {
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
    const { report } = await written();
    const html = await readFile(report, 'utf8');
    for (const s of Object.values(HOSTILE)) expect(html).not.toContain(s);
    await withBrowser(async (context) => {
      const v = await visit(context, report, 'report-xss.png');
      expect(v.xss).toBeUndefined();
      expect(v.consoleErrors).toEqual([]);
      expect(v.text).toContain(HOSTILE.orderId);
      expect(v.text).toContain(HOSTILE.message);
      expect(v.text).toContain(HOSTILE.traceId);
    });
  });

  it('renders from results.json alone, and fits a phone without sideways scrolling', async () => {
    const { report } = await written(reportFixture(), { events: false });
    await withBrowser(async (context) => {
      const v = await visit(context, report, 'report-phone-results-only.png', { width: 390, height: 844 });
      expect(v.consoleErrors).toEqual([]);
      expect(v.requests).toEqual([]);
      expect(v.overflowPx).toBeLessThanOrEqual(0);
      expect(v.charts.map((c) => c.id).sort()).toEqual(['error-shares', 'latency', 'success-rate', 'throughput', 'variants']);
      for (const c of v.charts) expect(c.drawn, c.id).toBe(true);
      expect(v.text).toContain('events.jsonl was not found');
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
