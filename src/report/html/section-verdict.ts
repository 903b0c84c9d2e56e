import type { Results } from '../results-schema.js';
import { esc } from './escape.js';
import { ms, pct } from './format.js';
import type { Verdict } from './verdict.js';

/** The top of the page: what ran, the verdict, why, and the figures that matter most. */
export function verdictSection(r: Results, v: Verdict): string {
  const variants = (['baseline', 'canary'] as const).flatMap((name) => (r.variants[name] ? [[name, r.variants[name]!] as const] : []));
  const tiles = variants.map(
    ([name, d]) =>
      `<div class="tile"><div class="tile-name">${esc(name)}</div><div class="tile-big">${esc(pct(d.successRate))}</div><div class="tile-small">success of ${esc(d.requests)} requests · p95 ${esc(ms(d.latencyMs.p95))} · p99 ${esc(ms(d.latencyMs.p99))}</div></div>`,
  );
  const faults = r.faults.length;
  tiles.push(`<div class="tile"><div class="tile-name">faults injected</div><div class="tile-big">${faults}</div><div class="tile-small">${esc(faults ? [...new Set(r.faults.map((f) => f.type))].join(', ') : 'none: a steady run')}</div></div>`);
  return [
    '<header class="top">',
    `<p class="meta">paychaos ${esc(r.paychaosVersion)} · scenario <b>${esc(r.scenario)}</b> · run <code>${esc(r.runId)}</code> · ${esc(r.startedAt)} · ${esc(r.durationS)} s · ${esc(r.status)}</p>`,
    `<h1 id="verdict" class="verdict ${v.tone}" data-verdict="${esc(v.word)}">${esc(v.word)}</h1>`,
    `<p class="because">${esc(v.because)}.</p>`,
    v.failures.length ? `<ul class="failures">${v.failures.map((f) => `<li>${esc(f)}</li>`).join('')}</ul>` : '',
    `<div class="tiles">${tiles.join('')}</div>`,
    '</header>',
  ].join('\n');
}
