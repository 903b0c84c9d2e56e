import { describe, expect, it } from 'vitest';
import { formatSummary, HIT_NOTHING, observationOf, renderReport, renderSummaryMarkdown, type Results } from '../../../src/report/index.js';
import { reportFixture } from '../../helpers/report-fixture.js';

/**
 * What each fault step observed (results.faults[].observed), as report.html, summary.md and the
 * printed summary show it: a step that bit (counts), one that met nothing (0: flagged, it proved
 * nothing), one whose layer cannot tell, and one from a results file written before the counts
 * existed (no `observed` at all) — which must still render, without a warning.
 */
const FAULTS: Results['faults'] = [
  { id: 'bites', type: 'charged-then-error', layer: 'provider', target: 'stripe', startS: 3, endS: 9, plannedAtS: 3, plannedForS: 6, observed: { commitThenError: 5 } },
  { id: 'idle', type: 'charged-then-error', layer: 'provider', target: 'adyen', startS: 3, endS: 9, plannedAtS: 3, plannedForS: 6, observed: { commitThenError: 0 } },
  { id: 'cut', type: 'down', layer: 'network', target: 'stripe', startS: 10, endS: 12, plannedAtS: 10, plannedForS: 2 },
];

function run(faults: Results['faults']): Results {
  return { ...reportFixture().results, faults };
}

/** The faults table's observed cell per step id: [kind, the cell's text without tags]. */
function observedCells(html: string): Record<string, [string, string]> {
  const cells = [...html.matchAll(/<span (?:class="note" )?data-observed="([a-z-]+)" data-fault="([^"]+)">(.*?)<\/span><\/td>/g)];
  return Object.fromEntries(cells.map((m) => [m[2]!, [m[1]!, m[3]!.replace(/<[^>]+>/g, '')]]));
}

describe('what each fault step observed', () => {
  it('sorts a step into counted, hit nothing (every count 0) and not counted (no counts)', () => {
    expect(observationOf({ observed: { commitThenError: 5 } })).toEqual({ kind: 'counted', counts: [['commitThenError', 5]], total: 5 });
    expect(observationOf({ observed: { serverErrors: 0, rateLimit: 2 } })).toMatchObject({ kind: 'counted', total: 2 });
    expect(observationOf({ observed: { commitThenError: 0 } })).toEqual({ kind: 'hit-nothing', counts: [['commitThenError', 0]], total: 0 });
    expect(observationOf({})).toEqual({ kind: 'not-counted' });
    expect(observationOf({ observed: {} })).toEqual({ kind: 'not-counted' });
  });

  it('report.html: every step shows its counts, and the step that hit nothing is called out above the table', () => {
    const html = renderReport(run(FAULTS));
    expect(observedCells(html)).toEqual({
      bites: ['counted', 'commitThenError 5'],
      idle: ['hit-nothing', 'hit nothing commitThenError 0'],
      cut: ['not-counted', 'not counted'],
    });
    expect(html).toContain('<th>target</th><th>observed</th>');
    // Each story says it too, when the step was undone; a step that cannot count tells nothing there.
    expect(html).toContain('<li data-step="observed" data-at="9"><span class="at">9 s</span> while it was on, stripe acted on it: commitThenError 5</li>');
    expect(html).toContain(`<li data-step="observed" data-at="9"><span class="at">9 s</span> while it was on, adyen acted on it: commitThenError 0 — ${HIT_NOTHING}</li>`);
    expect(html.match(/data-step="observed"/g)).toHaveLength(2);
    const callout = html.slice(html.indexOf('<div class="hit-nothing" role="alert">'), html.indexOf('id="faults-table"'));
    expect(callout).toContain('1 of 3 fault step(s) met nothing while they were on');
    expect(callout).toContain(`<li data-hit-nothing="idle"><b>idle</b> (charged-then-error on adyen, 3 s–9 s, observed commitThenError 0): ${HIT_NOTHING}</li>`);
    expect(callout).not.toContain('data-hit-nothing="bites"');
    expect(callout).not.toContain('data-hit-nothing="cut"');
  });

  it('summary.md: an observed column per step, and the warning under the table for the step that hit nothing', () => {
    const md = renderSummaryMarkdown(run(FAULTS));
    expect(md).toContain('| fault | type | target | window | observed | time to detect | time to switch | time to switch back |');
    expect(md).toContain('| bites | charged-then-error (provider) | stripe | 3–9 s | commitThenError 5 | — | — | — |');
    expect(md).toContain('| idle | charged-then-error (provider) | adyen | 3–9 s | commitThenError 0 ⚠ hit nothing | — | — | — |');
    expect(md).toContain('| cut | down (network) | stripe | 10–12 s | not counted | — | — | — |');
    expect(md).toContain(`- ⚠ **idle** (charged-then-error on adyen, 3–9 s): ${HIT_NOTHING} (commitThenError 0).`);
    expect(md.match(/⚠ \*\*/g)).toHaveLength(1);
  });

  it('the printed summary: a line per step with its counts, and the warning under the one that hit nothing', () => {
    const lines = formatSummary(run(FAULTS)).split('\n');
    const at = (id: string) => lines.findIndex((l) => l.startsWith(`  fault      ${id}:`));
    expect(lines[at('bites')]).toBe('  fault      bites: charged-then-error on stripe, 3.0–9.0 s, observed: commitThenError 5');
    expect(lines[at('idle')]).toBe('  fault      idle: charged-then-error on adyen, 3.0–9.0 s, observed: commitThenError 0');
    expect(lines[at('idle') + 1]).toBe(`             ⚠ ${HIT_NOTHING}`);
    expect(lines[at('cut')]).toBe('  fault      cut: down on stripe, 10.0–12.0 s, observed: not counted');
    expect(lines.filter((l) => l.includes(HIT_NOTHING))).toHaveLength(1);
    // A step the control plane could not apply says so on its line.
    const failed = formatSummary(run([{ ...FAULTS[2]!, error: 'proxy stripe not found' }]));
    expect(failed).toContain('  fault      cut: down on stripe, 10.0–12.0 s, observed: not counted — control plane error: proxy stripe not found');
  });

  it('an older results file (no step has `observed`) renders everywhere, with no step flagged', () => {
    const older = run(FAULTS.map(({ observed: _, ...f }) => f));
    const html = renderReport(older);
    expect(Object.values(observedCells(html)).map(([kind]) => kind)).toEqual(['not-counted', 'not-counted', 'not-counted']);
    expect(html).not.toContain('class="hit-nothing"');
    expect(html).not.toContain('data-step="observed"');
    const md = renderSummaryMarkdown(older);
    expect(md).toContain('| idle | charged-then-error (provider) | adyen | 3–9 s | not counted | — | — | — |');
    expect(md).not.toContain(HIT_NOTHING);
    const text = formatSummary(older);
    expect(text).toContain('  fault      idle: charged-then-error on adyen, 3.0–9.0 s, observed: not counted');
    expect(text).not.toContain(HIT_NOTHING);
  });

  it('escapes a hostile step id and kind in the page', () => {
    const html = renderReport(run([{ ...FAULTS[1]!, id: '<img src=x onerror=alert(1)>', observed: { '<b>k</b>': 0 } }]));
    expect(html).not.toContain('<img src=x');
    expect(html).not.toContain('<b>k</b>');
    expect(html).toContain('data-hit-nothing="&lt;img src=x onerror=alert(1)&gt;"');
  });
});
