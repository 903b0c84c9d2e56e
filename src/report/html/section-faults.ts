import type { Results } from '../results-schema.js';
import { esc } from './escape.js';
import { measured, secs } from './format.js';
import type { FaultStory, StoryJudgement } from './story.js';
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
  const storyHtml = stories.map(storyHtmlOf);
  return [
    '<section id="faults"><h2>What was injected</h2>',
    table(['id', 'layer', 'type', 'target', 'took effect', 'undone', 'planned', 'control plane'], rows, { id: 'faults-table', numeric: [4, 5] }),
    stories.length ? `<h3>The failover story</h3>${storyHtml.join('')}` : '',
    '</section>',
  ].join('\n');
}

/**
 * One window's story: the drill's figures, the run's judgement of them when the scenario set
 * bounds, then each moment in order. `data-step`/`data-at` name every moment for whoever reads
 * the page by machine (the browser tests do).
 */
function storyHtmlOf(s: FaultStory): string {
  const figures = `time to detect ${secs(s.detectS)} · time to switch ${secs(s.switchS)} · time to switch back ${secs(s.switchBackS)}`;
  const judged = s.judged.length ? `<ul class="judged">${s.judged.map(judgedHtml).join('')}</ul>` : '';
  const steps = s.steps.map((st) => `<li data-step="${esc(st.kind)}"${st.atS !== undefined ? ` data-at="${esc(st.atS)}"` : ''}><span class="at">${esc(secs(st.atS))}</span> ${esc(st.what)}</li>`).join('');
  return `<div class="story" data-fault="${esc(s.fault.id)}"><h3>${esc(s.title)}</h3><p class="note">${esc(figures)}</p>${judged}<ol>${steps}</ol></div>`;
}

function judgedHtml(j: StoryJudgement): string {
  const a = j.assertion;
  const verdict = badge(a.passed ? 'held' : 'FAILED', a.passed ? 'ok' : 'bad').html;
  return `<li data-judged="${esc(j.figure)}">${verdict} ${esc(a.name)}: measured ${esc(a.measured === null ? 'nothing (it never happened)' : `${measured(a.measured)} s`)}</li>`;
}
