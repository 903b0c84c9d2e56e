import type { Results } from '../results-schema.js';
import { esc } from './escape.js';
import { measured, ms, pct } from './format.js';
import { bottleneck } from '../summary.js';
import { badge, table, type Cell } from './table.js';

/** Key figures per variant and provider, and every assertion with measured vs threshold. */
export function figuresSection(r: Results): string {
  const rows: Cell[][] = [];
  for (const name of ['baseline', 'canary'] as const) {
    const v = r.variants[name];
    if (!v) continue;
    const row = (label: string, s: typeof v | (typeof v.byProvider)[string]): Cell[] => [
      label,
      s.requests,
      pct(s.successRate),
      s.failed,
      s.pending,
      ms(s.latencyMs.p50),
      ms(s.latencyMs.p95),
      ms(s.latencyMs.p99),
      ms(s.latencyMs.max),
      topCodes(s.errorCodes),
    ];
    rows.push(row(name, v));
    for (const [p, s] of Object.entries(v.byProvider).sort(([, a], [, b]) => b.requests - a.requests)) rows.push(row(`${name} · ${p}`, s));
  }
  const l = r.load;
  const load = `${l.engine}: target ${l.targetRate}/s, achieved ${l.achievedRate.toFixed(1)}/s, ${l.scheduledIterations} scheduled, ${l.droppedIterations} dropped, max ${l.maxInFlight} in flight, event-loop lag p99 ${l.eventLoopLagP99Ms} ms${l.driverHealthy ? '' : ` — ${bottleneck(r)}`}`;
  const assertions = r.assertions.map((a): Cell[] => [badge(a.passed ? 'held' : 'FAILED', a.passed ? 'ok' : 'bad'), a.name, measured(a.measured), measured(a.threshold)]);
  return [
    '<section id="figures"><h2>Key figures</h2>',
    `<p class="note">Load — ${esc(load)}.</p>`,
    table(['variant · provider', 'requests', 'success', 'failed', 'pending', 'p50', 'p95', 'p99', 'max', 'top error codes'], rows, { id: 'figures-table', numeric: [1, 2, 3, 4, 5, 6, 7, 8] }),
    '<h3>Assertions</h3>',
    assertions.length ? table(['', 'assertion', 'measured', 'threshold'], assertions, { id: 'assertions-table', numeric: [2, 3] }) : '<p class="note">This run made no assertions.</p>',
    '</section>',
  ].join('\n');
}

function topCodes(codes: Readonly<Record<string, number>>): string {
  const top = Object.entries(codes).sort(([, a], [, b]) => b - a).slice(0, 3);
  return top.length ? top.map(([c, n]) => `${c} ${n}`).join(', ') : 'none';
}
