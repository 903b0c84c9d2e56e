import { dirname, join } from 'node:path';
import { HEALTHY_LAG_P99_MS } from '../analysis/index.js';
import { HIT_NOTHING, observationOf, observedCountsText } from './fault-observed.js';
import type { Results } from './results-schema.js';

const pct = (x: number): string => `${(x * 100).toFixed(2)}%`;
const ms = (x: number): string => (x >= 100 ? `${x.toFixed(0)} ms` : `${x.toFixed(1)} ms`);

/**
 * Who held the run back, from the results alone: a driver whose event loop lagged (the harness),
 * or — its loop healthy — the system under test, which kept every in-flight slot waiting.
 */
export function bottleneck(results: Pick<Results, 'load'>): string {
  const { load } = results;
  if (load.engine === 'builtin' && load.eventLoopLagP99Ms < HEALTHY_LAG_P99_MS && load.droppedIterations > 0) {
    return `shoppers dropped: the system under test was the bottleneck (every in-flight slot waited on it; the driver's lag p99 ${load.eventLoopLagP99Ms} ms is healthy)`;
  }
  return `driver unhealthy: the harness was the bottleneck (event-loop lag p99 ${load.eventLoopLagP99Ms} ms, ${load.droppedIterations} dropped)`;
}

/** The human summary printed at the end of a run (plain text, fits an 80-column terminal). */
export function formatSummary(results: Results, paths: { results?: string; events?: string; junit?: string } = {}): string {
  const lines: string[] = [];
  const { load } = results;
  lines.push(`paychaos ${results.scenario} — run ${results.runId} (${results.status})`);
  lines.push(
    `  load       ${load.engine}, target ${load.targetRate}/s for ${results.durationS.toFixed(1)} s, achieved ${load.achievedRate.toFixed(1)}/s, dropped ${load.droppedIterations}${load.driverHealthy ? '' : `  ⚠ ${bottleneck(results)}`}`,
  );
  const w = results.warmup;
  // Start-up, said apart so nobody reads it as the system's tail, or wonders where it went.
  if (w) lines.push(`  warm-up    ${w.durationS.toFixed(1)} s at ${w.targetRate}/s before the measured window (${warmupShape(w)}): ${w.requests} requests, success ${pct(w.successRate)}, p50 ${ms(w.latencyMs.p50)}  p99 ${ms(w.latencyMs.p99)} (not in the figures below)`);
  if (results.parts?.length) lines.push(`  cpu        ${results.parts.map((p) => `${p.name} ${p.cores.toFixed(2)} cores`).join(', ')}`);
  // Baseline first, whichever variant the aggregator saw first.
  const variants = Object.entries(results.variants).sort(([a], [b]) => (a === 'baseline' ? -1 : b === 'baseline' ? 1 : a.localeCompare(b)));
  for (const [name, v] of variants) {
    if (!v) continue;
    lines.push(`  ${name}`);
    lines.push(`    requests   ${v.requests}`);
    lines.push(`    success    ${pct(v.successRate)}  (${v.succeeded} succeeded, ${v.failed} failed, ${v.pending} pending)`);
    lines.push(`    latency    p50 ${ms(v.latencyMs.p50)}  p95 ${ms(v.latencyMs.p95)}  p99 ${ms(v.latencyMs.p99)}  max ${ms(v.latencyMs.max)}`);
    const codes = Object.entries(v.errorCodes);
    lines.push(`    errors     ${codes.length ? codes.map(([c, n]) => `${c} ${n}`).join(', ') : 'none'}`);
    // With more than one provider, each gets a line: a run's verdict is often one channel's.
    const providers = Object.entries(v.byProvider ?? {});
    if (providers.length > 1) {
      const width = Math.max(...providers.map(([p]) => p.length));
      for (const [p, s] of providers.sort(([, a], [, b]) => b.requests - a.requests)) {
        lines.push(`    ${p.padEnd(width)}  ${String(s.requests).padStart(6)} req  ${pct(s.successRate).padStart(7)}  p95 ${ms(s.latencyMs.p95)}${s.pending ? `  ${s.pending} pending` : ''}`);
      }
    }
    // The gateway's own account (its spans): what the shopper could not see behind each answer.
    const server = results.serverSide?.variants[name];
    if (server) lines.push(`    server     ${server.payments.count} payments, ${server.attempts} provider attempts, ${server.retries} retries, ${server.payments.failovers} failed over  (from its spans)`);
  }
  if (results.serverSide && results.serverSide.spans === 0) lines.push(`  server     no spans reached ${results.serverSide.receiver}: set OTEL_EXPORTER_OTLP_ENDPOINT there for the gateway's own view`);
  // A crash comes before the figures it explains: the run stopped because of it.
  for (const c of results.crashes ?? []) {
    lines.push(`  CRASHED    ${c.part} at ${c.atS.toFixed(1)} s (${c.code}): ${c.message}`);
    if (c.log) lines.push(`             log ${c.log}`);
  }
  // Each fault step with what it did: a step that hit nothing is a check that proved nothing, said before the checks.
  for (const f of results.faults) {
    const o = observationOf(f);
    lines.push(`  fault      ${f.id}: ${f.type} on ${f.target}, ${f.startS.toFixed(1)}–${f.endS.toFixed(1)} s, observed: ${observedCountsText(o)}${f.error ? ` — control plane error: ${f.error}` : ''}`);
    if (o.kind === 'hit-nothing') lines.push(`             ⚠ ${HIT_NOTHING}`);
  }
  for (const inv of results.invariants) {
    if (inv.notEvaluated) {
      lines.push(`  invariant  ${inv.name}: not evaluated — ${inv.notEvaluated}`);
      continue;
    }
    lines.push(`  invariant  ${inv.name}: ${inv.passed ? 'held' : `VIOLATED (${inv.violations.length})`} over ${inv.checked}${inv.unit ? ` ${inv.unit}` : ''}`);
    for (const [provider, why] of Object.entries(inv.notEvaluatedFor ?? {})) lines.push(`             not evaluated for ${provider}: ${why}`);
    for (const v of inv.violations.slice(0, 5)) lines.push(`             ${v.message}${v.traceId ? ` trace ${v.traceId}` : ''}`);
  }
  const canary = results.canary;
  if (canary) {
    lines.push(`  canary     ${canary.verdict.toUpperCase()} (score ${canary.score ?? 'n/a'})`);
    for (const m of canary.metrics) if (m.classification !== 'pass') lines.push(`             ${m.name}: ${m.classification}${m.reason ? ` — ${m.reason}` : ''}`);
  }
  for (const a of results.assertions) lines.push(`  assertion  ${a.passed ? 'ok  ' : 'FAIL'} ${a.name} (measured ${a.measured ?? 'n/a'}${a.threshold !== null && !a.passed ? `, threshold ${a.threshold}` : ''})`);
  if (paths.results) lines.push(`  results    ${paths.results}`);
  if (paths.events) lines.push(`  events     ${paths.events}`);
  if (paths.junit) lines.push(`  junit      ${paths.junit}`);
  // The statement sits beside results.json; results.json names it (relative).
  const rec = results.reconciliation;
  if (rec && paths.results) lines.push(`  statement  ${join(dirname(paths.results), rec.statement)} (${rec.payments} payments, ${rec.matched} matched, ${rec.mismatches} mismatch(es))`);
  return `${lines.join('\n')}\n`;
}

/** How the warm-up went: its ramp, and whether it had to go on for the start-up queue to drain. */
function warmupShape(w: NonNullable<Results['warmup']>): string {
  const ramp = `ramped over ${w.rampS.toFixed(1)} s`;
  if (!w.settled) return `${ramp}; not settled: its latency still moved when it ended (a queue draining, or building at a rate the stack cannot carry) — the measured window may carry it`;
  return w.extendedS > 0 ? `${ramp}, held ${w.extendedS.toFixed(1)} s longer until latency settled` : `${ramp}, settled`;
}
