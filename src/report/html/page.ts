import type { ChartSpec } from './charts.js';
import { echartsSource } from './echarts-source.js';
import { esc, jsonForScript } from './escape.js';

/**
 * The document around a report's sections: one file, no external resource. The Content
 * Security Policy forbids every fetch (scripts and styles are inline, images data: only), so
 * the page is offline by construction, and a string that slipped past escaping could still not
 * load anything.
 */
const CSP = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:";

const STYLE = `
:root { --ok:#1a7f37; --warn:#9a6700; --bad:#cf222e; --muted:#57606a; --line:#d0d7de; --bg:#f6f8fa; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1f2328; background: #fff; }
main { max-width: 1180px; margin: 0 auto; padding: 12px 16px 48px; }
h1, h2, h3 { line-height: 1.2; }
h2 { margin-top: 36px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
code { font-size: 0.92em; word-break: break-all; }
.meta, .note, figcaption { color: var(--muted); font-size: 0.9em; }
.verdict { font-size: 2.4em; margin: 8px 0 4px; }
.verdict.ok { color: var(--ok); } .verdict.warn { color: var(--warn); } .verdict.bad { color: var(--bad); }
.because { margin: 0 0 8px; font-size: 1.1em; }
.failures li { color: var(--bad); }
.tiles { display: grid; grid-template-columns: repeat(auto-fit, minmax(200px, 1fr)); gap: 10px; margin-top: 12px; }
.tile { background: var(--bg); border: 1px solid var(--line); border-radius: 8px; padding: 10px 12px; }
.tile-name { color: var(--muted); font-size: 0.85em; text-transform: uppercase; letter-spacing: 0.04em; }
.tile-big { font-size: 1.8em; font-weight: 600; }
.tile-small { font-size: 0.85em; color: var(--muted); }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(100%, 520px), 1fr)); gap: 16px; }
figure.chart { margin: 0; border: 1px solid var(--line); border-radius: 8px; padding: 8px; min-width: 0; }
.plot { width: 100%; height: 320px; }
.scroll { overflow-x: auto; -webkit-overflow-scrolling: touch; margin: 8px 0; }
table { border-collapse: collapse; width: 100%; font-size: 0.9em; }
th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { background: var(--bg); position: sticky; top: 0; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.badge { display: inline-block; padding: 0 6px; border-radius: 10px; font-size: 0.85em; font-weight: 600; color: #fff; white-space: nowrap; }
.badge.ok { background: var(--ok); } .badge.warn { background: var(--warn); } .badge.bad { background: var(--bad); } .badge.muted { background: var(--muted); }
.story { border-left: 4px solid var(--bad); padding-left: 12px; margin: 12px 0; }
.hit-nothing { border-left: 4px solid var(--warn); background: #fff8c5; padding: 2px 12px; margin: 12px 0; }
.hit-nothing ul { padding-left: 20px; }
.story ol { padding-left: 20px; } .at { display: inline-block; min-width: 5.5em; font-variant-numeric: tabular-nums; color: var(--muted); }
form.filter { display: flex; flex-wrap: wrap; gap: 6px 14px; align-items: center; margin: 8px 0; font-size: 0.9em; }
form.filter input, form.filter select { font: inherit; padding: 2px 4px; max-width: 14em; }
nav { display: flex; flex-wrap: wrap; gap: 4px 14px; font-size: 0.9em; margin: 8px 0; }
@media (max-width: 600px) { body { font-size: 14px; } main { padding: 8px; } .verdict { font-size: 1.9em; } .plot { height: 260px; } }
`;

/** A chart's place on the page: the figure the script fills from the inlined option of the same id. */
export function chartFigure(spec: ChartSpec): string {
  return `<figure class="chart"><figcaption><b>${esc(spec.title)}</b> — ${esc(spec.caption)}</figcaption><div class="plot" id="chart-${esc(spec.id)}" data-chart="${esc(spec.id)}"></div></figure>`;
}

/** Draws every chart from the inlined options; exposes them as window.paychaosCharts (tests read them). */
const DRAW = `(function () {
  var data = JSON.parse(document.getElementById('paychaos-data').textContent);
  var charts = {};
  data.charts.forEach(function (c) {
    var el = document.getElementById('chart-' + c.id);
    if (!el) return;
    var chart = echarts.init(el, null, { renderer: 'canvas' });
    chart.setOption(c.option);
    charts[c.id] = chart;
  });
  window.paychaosCharts = charts;
  window.addEventListener('resize', function () { Object.keys(charts).forEach(function (k) { charts[k].resize(); }); });
})();`;

export interface PageParts {
  readonly title: string;
  readonly body: string;
  /** Charts whose figures are somewhere in body; none means no library is inlined. */
  readonly charts: readonly ChartSpec[];
}

export function page(parts: PageParts): string {
  const scripts = parts.charts.length
    ? [`<script>${echartsSource()}</script>`, `<script id="paychaos-data" type="application/json">${jsonForScript({ charts: parts.charts })}</script>`, `<script>${DRAW}</script>`].join('\n')
    : '';
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<meta http-equiv="Content-Security-Policy" content="${CSP}">`,
    `<title>${esc(parts.title)}</title>`,
    `<style>${STYLE}</style>`,
    '</head><body><main>',
    parts.body,
    '</main>',
    scripts,
    '</body></html>',
    '',
  ].join('\n');
}
