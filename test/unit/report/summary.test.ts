import { describe, expect, it } from 'vitest';
import { Aggregator, type PaymentEvent } from '../../../src/analysis/index.js';
import { buildResults, formatSummary } from '../../../src/report/index.js';

const event = (variant: 'baseline' | 'canary', provider: string, outcome: PaymentEvent['outcome'], latencyMs: number, i: number): PaymentEvent => ({
  t: i, variant, provider, outcome, latencyMs, status: outcome === 'succeeded' ? 201 : 402, orderId: `o${i}`, idempotencyKey: `k${i}`, ...(outcome === 'failed' ? { errorCode: 'card_declined' as const } : {}),
});

function results(events: PaymentEvent[]) {
  const agg = new Aggregator();
  for (const e of events) agg.record(e);
  return buildResults({
    runId: 'r1', scenario: 'demo', startedAt: new Date(0), endedAt: new Date(5000), durationS: 5, status: 'completed', paychaosVersion: '0',
    load: { engine: 'builtin', targetRate: 10, achievedRate: 10, scheduledIterations: 50, droppedIterations: 0, maxInFlight: 3, eventLoopLagP99Ms: 1, driverHealthy: true },
    snapshot: agg.snapshot(),
    invariants: [
      { name: 'no-double-charge', unit: 'orders', passed: true, checked: 40, violations: [] },
      { name: 'captures-within-orders', unit: 'charges', passed: false, checked: 41, violations: [{ orderId: 'a,b', provider: 'alipay', message: 'alipay holds 2 payments of 1234 cny but shoppers placed 1 such order(s)', paymentIds: ['T1', 'T2'] }] },
    ],
  });
}

describe('the run summary', () => {
  it('gives each provider a line when a variant paid through more than one, busiest first', () => {
    const events = [
      ...Array.from({ length: 30 }, (_, i) => event('baseline', 'alipay', 'succeeded', 10, i)),
      ...Array.from({ length: 10 }, (_, i) => event('baseline', 'wiremock:localwallet', i < 5 ? 'failed' : 'succeeded', 300, 100 + i)),
    ];
    const text = formatSummary(results(events));
    const lines = text.split('\n');
    const alipay = lines.findIndex((l) => /^\s+alipay\s+30 req\s+100\.00%\s+p95 10\.0 ms$/.test(l));
    const wallet = lines.findIndex((l) => /^\s+wiremock:localwallet\s+10 req\s+50\.00%\s+p95 300 ms$/.test(l));
    expect(alipay, text).toBeGreaterThan(0);
    expect(wallet, text).toBe(alipay + 1);
  });

  it('prints no provider lines for a single-provider run', () => {
    const text = formatSummary(results(Array.from({ length: 5 }, (_, i) => event('baseline', 'stripe', 'succeeded', 2, i))));
    expect(text).not.toMatch(/^\s+stripe\s+\d+ req/m);
  });

  it('says the warm-up apart, before the figures, only when the run had one', () => {
    const base = results([event('baseline', 'stripe', 'succeeded', 2, 0)]);
    expect(formatSummary(base)).not.toContain('warm-up');
    const warmup = { durationS: 2, targetRate: 10, rampS: 1, extendedS: 0, settled: true, scheduledIterations: 20, droppedIterations: 0, requests: 20, succeeded: 19, failed: 1, pending: 0, successRate: 0.95, latencyMs: { p50: 40, p90: 300, p95: 400, p99: 900, p999: 900, max: 900, mean: 80 } };
    const lines = formatSummary({ ...base, warmup }).split('\n');
    const at = lines.findIndex((l) => l.includes('warm-up'));
    expect(lines[at]).toMatch(/2\.0 s at 10\/s .*ramped over 1\.0 s, settled.*20 requests, success 95\.00%.*p99 900/);
    // One that had to go on, and one that ran out still draining, say so.
    expect(formatSummary({ ...base, warmup: { ...warmup, durationS: 5.5, extendedS: 3.5 } })).toMatch(/held 3\.5 s longer until latency settled/);
    expect(formatSummary({ ...base, warmup: { ...warmup, settled: false } })).toMatch(/not settled: its latency still moved/);
    expect(at).toBeLessThan(lines.findIndex((l) => l.includes('requests   1')));
  });

  it('prints the baseline before the canary even when the canary was seen first', () => {
    const text = formatSummary(results([event('canary', 'stripe', 'succeeded', 2, 1), event('baseline', 'stripe', 'succeeded', 2, 2)]));
    expect(text.indexOf('  baseline')).toBeGreaterThan(0);
    expect(text.indexOf('  baseline')).toBeLessThan(text.indexOf('  canary'));
  });

  it('says an invariant was not evaluated, and why, instead of calling it held', () => {
    const r = results([event('baseline', 'stripe', 'succeeded', 2, 1)]);
    const text = formatSummary({ ...r, invariants: [{ name: 'captures-within-orders', passed: true, checked: 0, violations: [], notEvaluated: 'k6 output carries no amounts' }] });
    expect(text).toContain('invariant  captures-within-orders: not evaluated — k6 output carries no amounts');
    expect(text).not.toContain('held');
  });

  it('counts each invariant in its own unit and quotes a violation', () => {
    const text = formatSummary(results([event('baseline', 'stripe', 'succeeded', 2, 1)]));
    expect(text).toContain('invariant  no-double-charge: held over 40 orders');
    expect(text).toContain('invariant  captures-within-orders: VIOLATED (1) over 41 charges');
    expect(text).toContain('alipay holds 2 payments of 1234 cny');
  });

  it('lists the reconciliation statement beside results.json with its counts, only when the run reconciled', () => {
    const r = results([event('baseline', 'stripe', 'succeeded', 2, 1)]);
    const byKind = { 'missing-ours': 0, 'missing-theirs': 1, 'amount-mismatch': 0, 'currency-mismatch': 0, duplicate: 0, 'fee-mismatch': 0, 'split-mismatch': 0 };
    const reconciled = { ...r, reconciliation: { statement: 'reconciliation.csv', payments: 12, matched: 11, mismatches: 1, byKind, byProvider: { stripe: { payments: 12, matched: 11, mismatches: 1, byKind } }, unreconciled: {} } };
    expect(formatSummary(reconciled, { results: '/tmp/run/results.json' })).toContain('  statement  /tmp/run/reconciliation.csv (12 payments, 11 matched, 1 mismatch(es))');
    expect(formatSummary(r, { results: '/tmp/run/results.json' })).not.toContain('statement');
  });
});
