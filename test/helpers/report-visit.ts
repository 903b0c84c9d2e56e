import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BrowserContext } from 'playwright-core';
import { HOSTILE } from './report-fixture.js';

/** Screenshots land here: CI keeps paychaos-results/ as its artifact directory. */
export const ARTIFACTS = join(import.meta.dirname, '../../paychaos-results/test-artifacts/report');

/* The page's globals, as far as these tests read them (the tests' tsconfig has no DOM lib). */
interface EchartsLike {
  getOption(): { series: Array<{ data?: unknown[]; markArea?: { data?: Array<[{ xAxis: number }, { xAxis: number }]> } }> };
}
declare const window: { paychaosCharts?: Record<string, EchartsLike>; __xss?: unknown; innerWidth: number };
// eslint-disable-next-line @typescript-eslint/no-explicit-any
declare const document: any;

interface ChartState {
  id: string;
  series: number;
  points: number;
  drawn: boolean;
  markAreas: Array<[number, number]>;
}

export interface Visit {
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
export async function visit(context: BrowserContext, path: string, screenshot: string, viewport = { width: 1280, height: 900 }, options: { chartsTimeoutMs?: number } = {}): Promise<Visit> {
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
    // A page whose drawing script broke never defines the charts: that is a console error to report, not a hang.
    await page.waitForFunction(() => window.paychaosCharts !== undefined, undefined, { timeout: options.chartsTimeoutMs ?? 10_000 }).catch(() => consoleErrors.push('the charts were never drawn (window.paychaosCharts is undefined)'));
    const state = await page.evaluate(() => {
      const charts = window.paychaosCharts ?? {};
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


/**
 * What is wrong with how a page shows the fixture's hostile strings (report-fixture.ts HOSTILE):
 * any of them in the HTML as written, any script it ran (window.__xss), any console error, any
 * that does not show as plain text. Empty when escaping held. One function for the check and its
 * negative control (report-xss-control.test.ts), so the control proves this very check can fail.
 */
export function hostileProblems(html: string, v: Visit): string[] {
  const problems: string[] = [];
  for (const [field, s] of Object.entries(HOSTILE)) if (html.includes(s)) problems.push(`the ${field} string is in the HTML unescaped`);
  if (v.xss !== undefined) problems.push(`a hostile string ran script: window.__xss = ${String(v.xss)}`);
  for (const e of v.consoleErrors) problems.push(`console error: ${e}`);
  for (const field of ['orderId', 'message', 'traceId'] as const) if (!v.text.includes(HOSTILE[field])) problems.push(`the ${field} string does not show as text`);
  return problems;
}
