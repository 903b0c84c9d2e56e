import type { Results } from '../results-schema.js';
import { esc } from './escape.js';
import { ms } from './format.js';
import { table, type Cell } from './table.js';

type ServerSide = NonNullable<Results['serverSide']>;
type Payments = ServerSide['variants'][string]['payments'];

const codes = (byCode: Readonly<Record<string, number>>): string =>
  Object.entries(byCode)
    .sort(([a, x], [b, y]) => y - x || a.localeCompare(b))
    .map(([code, n]) => `${code} ${n}`)
    .join(', ') || '—';
const outcomes = (p: Payments): string => ['succeeded', 'failed', 'pending'].map((o) => `${p.outcomes[o] ?? 0}`).join(' / ');
const latency = (p: Payments): string => (p.count === 0 ? '—' : `${ms(p.latencyMs.p50)} / ${ms(p.latencyMs.p95)} / ${ms(p.latencyMs.p99)}`);

/**
 * What the gateway said in its own spans (results.serverSide, from the embedded OTLP receiver):
 * per variant and provider, the payments it answered and the provider calls behind them —
 * attempts, retries, failovers — with trace ids to look up. Beside the client's view above, it
 * shows what the shopper could not see: the retries and failovers that made a payment slow.
 */
export function serverSideSection(r: Results): string {
  const s = r.serverSide;
  if (!s) {
    return '<section id="server-side"><h2>Server side</h2><p class="note" id="no-server-side">This run did not receive the gateway\'s telemetry itself: a collector was configured (OTEL_EXPORTER_OTLP_ENDPOINT), the gateway ran in-process, or the results were written before the server-side view existed. Look for its spans in your tracing backend.</p></section>';
  }
  const rows: Cell[][] = [];
  for (const [variant, v] of Object.entries(s.variants)) {
    rows.push([variant, 'all', v.payments.count, outcomes(v.payments), v.attempts, v.retries, v.payments.failovers, '—', latency(v.payments), codes(v.payments.errorCodes)]);
    for (const [provider, p] of Object.entries(v.byProvider)) {
      rows.push([variant, provider, p.payments.count, outcomes(p.payments), p.attempts, p.retries, p.failoverCalls, p.queries, latency(p.payments), codes(p.calls.errorCodes)]);
    }
  }
  const exemplars: Cell[][] = Object.entries(s.variants).flatMap(([variant, v]) => [
    ...v.payments.exemplars.slowest.map((id): Cell[] => [variant, 'slowest payment', id]),
    ...v.payments.exemplars.errored.map((id): Cell[] => [variant, 'failed payment', id]),
  ]);
  const empty = s.spans === 0 ? `<p class="note" id="server-side-empty">The receiver at ${esc(s.receiver)} took in no spans: point your gateway's OpenTelemetry SDK at it (OTEL_EXPORTER_OTLP_ENDPOINT=${esc(s.receiver)}).</p>` : '';
  return [
    '<section id="server-side"><h2>Server side</h2>',
    `<p class="note">From ${esc(s.spans)} spans the gateway exported to ${esc(s.receiver)}${s.rejected ? `, ${esc(s.rejected)} refused as malformed` : ''}${s.overflowed ? `, ${esc(s.overflowed)} beyond the label limit (not split)` : ''}. Payments are the gateway's server spans, by the provider that answered; attempts, retries and failover calls are its provider-call spans.</p>`,
    empty,
    rows.length
      ? table(['variant', 'provider', 'payments', 'succeeded / failed / pending', 'attempts', 'retries', 'failovers', 'status queries', 'p50 / p95 / p99', 'error codes (provider calls for a provider)'], rows, { id: 'server-side-table', numeric: [2, 4, 5, 6, 7] })
      : '',
    exemplars.length ? `<h3>Trace ids to look up</h3>${table(['variant', 'what', 'trace id'], exemplars, { id: 'server-side-exemplars' })}` : '',
    '</section>',
  ].join('\n');
}
