import { esc } from './escape.js';
import type { EventsDigest, PaymentRow } from './events-digest.js';
import { ms, secs } from './format.js';
import { table, type Cell } from './table.js';

const row = (p: PaymentRow): Cell[] => [secs(p.t / 1000), p.orderId, p.variant, `${p.provider} · ${p.method}`, p.outcome, p.errorCode ?? '', p.providerCode ?? '', p.status, ms(p.latencyMs), p.traceId ?? '—'];
const HEADERS = ['at', 'order', 'variant', 'provider · method', 'outcome', 'error code', 'provider code', 'HTTP', 'latency', 'trace id'];

/** The slowest and the failed payments, each with its trace id to look up in Tempo or Jaeger. */
export function paymentsSection(digest: EventsDigest | undefined): string {
  if (!digest) return '<section id="payments"><h2>Payments</h2><p class="note">events.jsonl was not found beside results.json: single payments cannot be listed.</p></section>';
  const failedNote = digest.failedTotal > digest.failed.length ? ` (the first ${digest.failed.length} of ${digest.failedTotal})` : '';
  return [
    `<section id="payments"><h2>Payments</h2><p class="note">${esc(digest.payments)} payments read from events.jsonl${digest.unreadableLines ? `; ${esc(digest.unreadableLines)} unreadable line(s) skipped` : ''}.</p>`,
    `<h3>Slowest ${digest.slowest.length}</h3>`,
    table(HEADERS, digest.slowest.map(row), { id: 'slowest-table', numeric: [0, 7, 8] }),
    `<h3>Failed and pending: ${esc(digest.failedTotal)}${esc(failedNote)}</h3>`,
    digest.failed.length ? table(HEADERS, digest.failed.map(row), { id: 'failed-table', numeric: [0, 7, 8] }) : '<p class="note">Every payment succeeded.</p>',
    '</section>',
  ].join('\n');
}
