import type { Results } from '../results-schema.js';
import { esc } from './escape.js';
import { badge, table, type Cell } from './table.js';

/** How many violations a report lists per invariant (results.json keeps them all). */
const SHOWN = 100;

/** The money invariants: each with its count, and every violation with order, provider, ledger entries and trace id. */
export function invariantsSection(r: Results): string {
  if (r.invariants.length === 0) return '<section id="invariants"><h2>Money invariants</h2><p class="note">No invariants were checked in this run.</p></section>';
  const rows = r.invariants.map((i): Cell[] => [
    i.notEvaluated ? badge('not evaluated', 'muted') : badge(i.passed ? 'held' : 'VIOLATED', i.passed ? 'ok' : 'bad'),
    i.name,
    `${i.checked}${i.unit ? ` ${i.unit}` : ''}`,
    i.violations.length,
    [i.notEvaluated, ...Object.entries(i.notEvaluatedFor ?? {}).map(([provider, why]) => `not evaluated for ${provider}: ${why}`)].filter(Boolean).join('; '),
  ]);
  const violations = r.invariants
    .filter((i) => i.violations.length > 0)
    .map((i) => {
      const shown = i.violations.slice(0, SHOWN).map((v): Cell[] => [v.orderId, v.provider, v.paymentIds.join(', '), v.traceId ?? '—', v.message]);
      const more = i.violations.length > SHOWN ? `<p class="note">… and ${i.violations.length - SHOWN} more in results.json.</p>` : '';
      return `<h3>${esc(i.name)}: ${i.violations.length} violation(s)</h3>${table(['order', 'provider', 'ledger entries', 'trace id', 'what'], shown, { id: `violations-${i.name}` })}${more}`;
    });
  return ['<section id="invariants"><h2>Money invariants</h2>', table(['', 'invariant', 'checked', 'violations', 'note'], rows, { id: 'invariants-table', numeric: [2, 3] }), ...violations, '</section>'].join('\n');
}
