import type { Results } from '../results-schema.js';
import { esc } from './escape.js';
import { secs } from './format.js';
import type { FaultStory } from './story.js';
import { badge, table, type Cell } from './table.js';

/** What was injected and when, then each window's failover story. */
export function faultsSection(r: Results, stories: readonly FaultStory[]): string {
  if (r.faults.length === 0) return '<section id="faults"><h2>What was injected</h2><p class="note">No faults: this run had no fault timeline.</p></section>';
  const rows = r.faults.map((f): Cell[] => [
    f.id,
    f.layer,
    f.type,
    f.target,
    secs(f.startS),
    secs(f.endS),
    `${f.plannedAtS} s${f.plannedForS !== undefined ? ` for ${f.plannedForS} s` : ' to the end'}`,
    f.error ? badge(f.error, 'bad') : badge('applied', 'ok'),
  ]);
  const storyHtml = stories.map(
    (s) =>
      `<div class="story" data-fault="${esc(s.fault.id)}"><h3>${esc(s.title)}</h3>` +
      `<p class="note">time to detect ${esc(secs(s.detectS))} · time to switch ${esc(secs(s.switchS))} · time to recover ${esc(secs(s.recoverS))}</p>` +
      `<ol>${s.steps.map((st) => `<li><span class="at">${esc(secs(st.atS))}</span> ${esc(st.what)}</li>`).join('')}</ol></div>`,
  );
  return [
    '<section id="faults"><h2>What was injected</h2>',
    table(['id', 'layer', 'type', 'target', 'took effect', 'undone', 'planned', 'control plane'], rows, { id: 'faults-table', numeric: [4, 5] }),
    stories.length ? `<h3>The failover story</h3>${storyHtml.join('')}` : '',
    '</section>',
  ].join('\n');
}
