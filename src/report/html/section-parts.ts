import type { Results } from '../results-schema.js';
import { esc } from './escape.js';
import { secs } from './format.js';
import { badge, table, type Cell } from './table.js';

/** CPU seconds and cores, as both report.html and summary.md show them. */
export const cpu = (s: number): string => `${(Math.round(s * 100) / 100).toFixed(2)} s`;
export const cores = (c: number): string => (Math.round(c * 100) / 100).toFixed(2);

/** Parts by CPU, busiest first: the one to look at when the load fell behind. */
export function partsByCpu(r: Pick<Results, 'parts'>): NonNullable<Results['parts']> {
  return [...(r.parts ?? [])].sort((a, b) => b.cpuS - a.cpuS || a.name.localeCompare(b.name));
}

/**
 * The stack's parts: any that died unasked mid-run (results.crashes — when, how, where its log
 * was kept), then each part's CPU while the load ran (results.parts), so a reader can tell a
 * slow gateway from a starved harness. Files written before either was recorded say so.
 */
export function partsSection(r: Results): string {
  const crashes = r.crashes ?? [];
  const crashHtml = crashes.length
    ? table(
        ['', 'part', 'at', 'what', 'log'],
        crashes.map((c): Cell[] => [badge('CRASHED', 'bad'), c.part, secs(c.atS), `${c.code}: ${c.message}`, c.log ?? '—']),
        { id: 'crashes-table', numeric: [2] },
      )
    : '<p class="note" id="no-crashes">No part crashed: every part of the stack lived through the run.</p>';
  const parts = partsByCpu(r);
  const cpuHtml = parts.length
    ? table(['part', 'pid', 'CPU', 'cores'], parts.map((p): Cell[] => [p.name, p.pid ?? '—', cpu(p.cpuS), cores(p.cores)]), { id: 'parts-table', numeric: [1, 2, 3] }) +
      '<p class="note">CPU seconds while the load ran; cores = CPU seconds over the load\'s wall time (1.00 = one core busy throughout).</p>'
    : '<p class="note">This results file holds no CPU per part (written before it was measured, or by an ingest).</p>';
  return ['<section id="parts"><h2>The stack\'s parts</h2>', `<h3>Crashes${crashes.length ? `: ${esc(crashes.length)}` : ''}</h3>`, crashHtml, '<h3>CPU per part</h3>', cpuHtml, '</section>'].join('\n');
}
