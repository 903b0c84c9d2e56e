import { HIT_NOTHING, observationOf, observedCountsText, type Observation } from '../fault-observed.js';
import type { FaultRecord, Results } from '../results-schema.js';
import { esc } from './escape.js';
import { measured, secs } from './format.js';
import type { FaultStory, StoryJudgement } from './story.js';
import { badge, raw, table, type Cell } from './table.js';

/**
 * What was injected and when, what each step observed while it was on, then each window's
 * failover story. Steps that hit nothing are called out above the table: a fault that met no
 * request is a test that proved nothing, however green the verdict.
 */
export function faultsSection(r: Results, stories: readonly FaultStory[]): string {
  if (r.faults.length === 0) return '<section id="faults"><h2>What was injected</h2><p class="note">No faults: this run had no fault timeline.</p></section>';
  const rows = r.faults.map((f): Cell[] => [
    f.id,
    f.layer,
    f.type,
    f.target,
    // Beside the target, not at the far right: on a phone the table scrolls, and this is what a reader must not miss.
    observedCell(f.id, observationOf(f)),
    secs(f.startS),
    secs(f.endS),
    `${f.plannedAtS} s${f.plannedForS !== undefined ? ` for ${f.plannedForS} s` : ' to the end'}`,
    f.error ? badge(f.error, 'bad') : badge('applied', 'ok'),
  ]);
  const storyHtml = stories.map(storyHtmlOf);
  return [
    '<section id="faults"><h2>What was injected</h2>',
    hitNothingHtml(r.faults),
    table(['id', 'layer', 'type', 'target', 'observed', 'took effect', 'undone', 'planned', 'control plane'], rows, { id: 'faults-table', numeric: [5, 6] }),
    '<p class="note">observed: how often the target acted on the step while it was on, by kind (a provider step: the simulator\'s fault decisions, e.g. commitThenError); not counted where the step\'s layer cannot tell (or the results file predates the count).</p>',
    stories.length ? `<h3>The failover story</h3>${storyHtml.join('')}` : '',
    '</section>',
  ].join('\n');
}

/** The observed cell; `data-observed` names the step's kind of outcome for whoever reads the page by machine. */
function observedCell(id: string, o: Observation): Cell {
  const counts = esc(observedCountsText(o));
  if (o.kind === 'not-counted') return raw(`<span class="note" data-observed="not-counted" data-fault="${esc(id)}">${counts}</span>`);
  if (o.kind === 'hit-nothing') return raw(`<span data-observed="hit-nothing" data-fault="${esc(id)}">${badge('hit nothing', 'warn').html} ${counts}</span>`);
  return raw(`<span data-observed="counted" data-fault="${esc(id)}">${counts}</span>`);
}

/** The call-out above the table: every step that observed 0, in the words all three reports use. */
function hitNothingHtml(faults: readonly FaultRecord[]): string {
  const idle = faults.flatMap((f) => {
    const o = observationOf(f);
    return o.kind === 'hit-nothing' ? [`<li data-hit-nothing="${esc(f.id)}"><b>${esc(f.id)}</b> (${esc(f.type)} on ${esc(f.target)}, ${esc(secs(f.startS))}–${esc(secs(f.endS))}, observed ${esc(observedCountsText(o))}): ${esc(HIT_NOTHING)}</li>`] : [];
  });
  if (idle.length === 0) return '';
  return `<div class="hit-nothing" role="alert"><p>${badge('⚠ hit nothing', 'warn').html} <b>${idle.length} of ${faults.length} fault step(s) met nothing while they were on</b></p><ul>${idle.join('')}</ul></div>`;
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
