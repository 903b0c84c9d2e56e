import type { Results } from '../results-schema.js';
import { esc } from './escape.js';
import type { StatementExcerpt } from './read-statement.js';
import { badge, table, type Cell } from './table.js';

/** The statement's columns a reader scans, in reconciliation.csv's names; the CSV has the rest. */
const COLUMNS: readonly (readonly [string, string, boolean?])[] = [
  ['status', 'status'], ['provider', 'provider'], ['order_id', 'order'], ['provider_reference', 'provider reference'], ['payment_method', 'method'], ['booked_at', 'booked at'],
  ['currency', 'currency'], ['our_captured', 'our captured', true], ['provider_captured', 'their captured', true], ['our_refunded', 'our refunded', true], ['provider_refunded', 'their refunded', true],
  ['our_fee', 'our fee', true], ['provider_fee', 'their fee', true], ['provider_net', 'payout', true], ['our_split', 'our split', true], ['provider_split', 'their split', true], ['settlement_date', 'settles on'], ['detail', 'what'],
];

/**
 * Filters the statement's rows in the page, offline: each row carries its order id, time (booked,
 * else settlement date; ISO, so text order is time order) and method as data attributes, read
 * with getAttribute, so no row text is ever parsed as markup. The count says how many are shown.
 */
const FILTER = `(function () {
  var form = document.getElementById('statement-filter');
  var rows = Array.prototype.slice.call(document.querySelectorAll('#statement-table tbody tr'));
  var shown = document.getElementById('statement-shown');
  function apply() {
    var order = form.elements.order.value.trim().toLowerCase();
    var since = form.elements.since.value.trim();
    var until = form.elements.until.value.trim();
    var method = form.elements.method.value;
    var n = 0;
    rows.forEach(function (tr) {
      var at = tr.getAttribute('data-time');
      var ok = (!order || tr.getAttribute('data-order').toLowerCase().indexOf(order) !== -1)
        && (!method || tr.getAttribute('data-method') === method)
        && (!since || (at !== '' && at >= since))
        && (!until || (at !== '' && at < until));
      tr.hidden = !ok;
      if (ok) n++;
    });
    shown.textContent = String(n);
  }
  form.addEventListener('input', apply);
  form.addEventListener('submit', function (e) { e.preventDefault(); apply(); });
})();`;

/**
 * The reconciliation statement a finance person reads: counts by kind of mismatch per provider
 * (from results.json), then the statement's rows (from reconciliation.csv beside it, bounded:
 * mismatches first), filterable by order id, time and payment method. Empty when the run did not
 * reconcile.
 */
export function reconciliationSection(r: Results, statement: StatementExcerpt | undefined): string {
  const rec = r.reconciliation;
  if (!rec && !statement) return '';
  const parts = ['<section id="reconciliation"><h2>Reconciliation</h2>'];
  if (rec) {
    const kinds = Object.keys(rec.byKind).filter((k) => Object.values(rec.byProvider).some((p) => (p.byKind[k] ?? 0) > 0));
    const line = (name: string, p: { payments: number; matched: number; mismatches: number; byKind: Record<string, number> }): Cell[] => [
      p.mismatches === 0 ? badge('clean', 'ok') : badge(`${p.mismatches} mismatch(es)`, 'bad'), name, p.payments, p.matched, ...kinds.map((k) => p.byKind[k] ?? 0),
    ];
    const rows = [...Object.entries(rec.byProvider).sort(([a], [b]) => a.localeCompare(b)).map(([name, p]) => line(name, p)), line('all providers', rec)];
    parts.push(`<p class="note">The gateway's books against each provider's settlement report, payment by payment. Every row is in <code>${esc(rec.statement)}</code> beside results.json.</p>`);
    parts.push(table(['', 'provider', 'payments', 'matched', ...kinds], rows, { id: 'reconciliation-summary', numeric: [2, 3, ...kinds.map((_, i) => 4 + i)] }));
    const skipped = Object.entries(rec.unreconciled);
    if (skipped.length > 0) parts.push(`<p class="note">Not reconciled (no settlement report): ${skipped.map(([p, n]) => `${esc(p)} (${esc(n)} book entries)`).join(', ')}.</p>`);
  }
  parts.push(statement ? statementTable(statement, rec?.statement ?? 'reconciliation.csv') : '<p class="note">reconciliation.csv was not found beside results.json: the statement\'s rows cannot be listed.</p>');
  parts.push('</section>');
  return parts.join('\n');
}

function statementTable(s: StatementExcerpt, file: string): string {
  const matchedShown = s.rows.filter((row) => row.status === 'matched').length;
  const left = s.total - s.rows.length;
  const note = `${s.total} payment(s), ${s.mismatchedTotal} with a mismatch. Shown: ${s.rows.length - matchedShown} mismatched, then ${matchedShown} matched${left > 0 ? `; ${left} more row(s) left out here — ${file} has them all` : ''}.`;
  const methods = [...new Set(s.rows.map((row) => row.payment_method ?? '').filter((m) => m !== ''))].sort();
  const form = [
    '<form id="statement-filter" class="filter">',
    '<label>order id <input name="order" type="search" autocomplete="off"></label> ',
    '<label>from <input name="since" placeholder="2026-11-11T00:00" autocomplete="off"></label> ',
    '<label>before <input name="until" placeholder="2026-11-12" autocomplete="off"></label> ',
    `<label>method <select name="method"><option value="">any</option>${methods.map((m) => `<option value="${esc(m)}">${esc(m)}</option>`).join('')}</select></label> `,
    `<span class="note"><span id="statement-shown">${s.rows.length}</span> row(s) shown (times in UTC, ISO: a prefix such as 2026-11-11T10 works)</span>`,
    '</form>',
  ].join('');
  const numeric = new Set(COLUMNS.flatMap(([, , n], i) => (n ? [i] : [])));
  const tr = (row: Readonly<Record<string, string>>): string => {
    const time = row.booked_at || row.settlement_date || '';
    const cells = COLUMNS.map(([key], i) => {
      const text = row[key] ?? '';
      const content = key === 'status' ? statusBadges(text) : esc(text);
      return `<td${numeric.has(i) ? ' class="num"' : ''}>${content}</td>`;
    });
    return `<tr data-order="${esc(row.order_id ?? '')}" data-time="${esc(time)}" data-method="${esc(row.payment_method ?? '')}">${cells.join('')}</tr>`;
  };
  return [
    `<h3>Statement</h3><p class="note">${esc(note)}</p>`,
    form,
    '<div class="scroll"><table id="statement-table">',
    `<thead><tr>${COLUMNS.map(([, label], i) => `<th${numeric.has(i) ? ' class="num"' : ''}>${esc(label)}</th>`).join('')}</tr></thead>`,
    `<tbody>${s.rows.map(tr).join('')}</tbody>`,
    '</table></div>',
    `<script>${FILTER}</script>`,
  ].join('\n');
}

function statusBadges(status: string): string {
  return status
    .split(' ')
    .filter((w) => w !== '')
    .map((w) => badge(w, w === 'matched' ? 'ok' : 'bad').html)
    .join(' ');
}
