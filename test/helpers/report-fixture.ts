import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Aggregator, judgeCanary, variantDataOf, VariantAggregate, type PaymentEvent, type Reconciliation, type StatementRow } from '../../src/analysis/index.js';
import { buildResults, resultsSchema, type Results } from '../../src/report/index.js';
import { statementSummary, writeStatement } from '../../src/run/index.js';

/** Strings a provider or a system under test could send back, meant to break out of HTML and script. */
export const HOSTILE = Object.freeze({
  orderId: '<img src=x onerror="window.__xss=1">',
  message: '</script><script>window.__xss=2</script>',
  providerCode: '"><svg onload="window.__xss=3">',
  traceId: "'><iframe src=javascript:window.__xss=4>",
});

export interface ReportFixture {
  readonly results: Results;
  /** events.jsonl's lines, as a run writes them. */
  readonly events: readonly Record<string, unknown>[];
  /** The books against the settlement reports: reconciliation.csv's rows. */
  readonly statement: Reconciliation;
}

/** A statement row as the reconciliation makes it (both sides equal unless overridden). */
export function statementRow(over: Partial<StatementRow> & Pick<StatementRow, 'provider' | 'orderId' | 'providerRef'>): StatementRow {
  return { currency: 'EUR', paymentMethod: 'card', bookedAt: '2026-11-11T00:00:05.000Z', ourCaptured: 1999, ourRefunded: 0, ourFee: 29, theirCaptured: 1999, theirRefunded: 0, theirFee: 29, ourChargedBack: 0, theirChargedBack: 0, theirNet: 1970, settlesOn: '2026-11-12', status: ['matched'], mismatches: [], ...over };
}

/**
 * Three payments: one whose order id and mismatch message are hostile (the provider captured
 * 5 cents more), two matched ones by different methods, booked at different times.
 */
export function fixtureStatement(): Reconciliation {
  const rows = [
    statementRow({ provider: 'stripe', orderId: 'order-1', providerRef: 'pi_1', bookedAt: '2026-11-11T00:00:02.000Z' }),
    statementRow({
      provider: 'stripe', orderId: HOSTILE.orderId, providerRef: 'pi_2', theirCaptured: 2004, theirNet: 1975, status: ['amount-mismatch'],
      mismatches: [{ kind: 'amount-mismatch', provider: 'stripe', providerRef: 'pi_2', orderId: HOSTILE.orderId, movement: 'capture', currency: 'EUR', ours: 1999, theirs: 2004, message: HOSTILE.message }],
    }),
    statementRow({ provider: 'adyen', orderId: 'order-3', providerRef: 'psp_3', paymentMethod: 'wallet', bookedAt: '2026-11-11T00:00:12.000Z', settlesOn: '2026-11-13' }),
  ];
  return { rows, providers: ['adyen', 'stripe'], unreconciled: { paypal: 2 } };
}

/**
 * A 20 s run through stripe and adyen at 20 shoppers a second, a tenth of them on a canary:
 * stripe is down from 5 s to 10 s (answers fail until the gateway fails over to adyen, marking
 * those answers `failoverFrom: stripe`), adyen is slow from 12 s to 15 s, and one invariant is violated by
 * an order whose id and message are hostile. Built with the real aggregator and canary judge,
 * validated by the results schema.
 */
export function reportFixture(): ReportFixture {
  const agg = new Aggregator();
  const events: Record<string, unknown>[] = [{ type: 'run', runId: 'fixture-run', scenario: 'failover' }];
  let n = 0;
  for (let ms = 0; ms < 20_000; ms += 50) {
    const variant = n % 10 === 9 ? 'canary' : 'baseline';
    const wantsStripe = n % 2 === 0;
    const down = ms >= 5_000 && ms < 10_000;
    const switched = down && ms >= 6_000;
    const slow = ms >= 12_000 && ms < 15_000;
    const provider = wantsStripe && !switched ? 'stripe' : 'adyen';
    let outcome: PaymentEvent['outcome'] = 'succeeded';
    let errorCode: PaymentEvent['errorCode'];
    if (wantsStripe && down && !switched) [outcome, errorCode] = ['failed', 'provider_unavailable'];
    else if (n % 37 === 0) [outcome, errorCode] = ['failed', 'card_declined'];
    const latencyMs = (slow && provider === 'adyen' ? 250 : 8) + (n % 7) + (variant === 'canary' ? 3 : 0);
    const e: PaymentEvent = {
      t: ms,
      variant,
      provider,
      method: 'card',
      outcome,
      ...(errorCode ? { errorCode } : {}),
      ...(n === 101 ? { providerCode: HOSTILE.providerCode } : {}),
      latencyMs,
      status: outcome === 'succeeded' ? 201 : 502,
      orderId: n === 101 ? HOSTILE.orderId : `o${n}`,
      idempotencyKey: `k${n}`,
      traceId: n === 101 ? HOSTILE.traceId : `trace${n.toString(16).padStart(8, '0')}`,
    };
    agg.record(e);
    events.push({ type: 'payment', ...e, ...(switched && wantsStripe ? { failoverFrom: 'stripe', failoverReason: 'provider_unavailable' } : {}) });
    n++;
  }
  events.push({ type: 'crash', part: 'sim-stripe', atS: 5.2, message: 'killed by the timeline' });
  const faults: Results['faults'] = [
    { id: 'stripe-down', type: 'down', layer: 'network', target: 'stripe', startS: 5, endS: 10, plannedAtS: 5, plannedForS: 5 },
    { id: 'adyen-slow', type: 'latency', layer: 'network', target: 'adyen', startS: 12, endS: 15, plannedAtS: 12, plannedForS: 3 },
  ];
  for (const f of faults) events.push({ ...f, type: 'fault', faultType: f.type });
  events.push({ type: 'end', runId: 'fixture-run', status: 'completed' });
  const statement = fixtureStatement();
  const side = (v: 'baseline' | 'canary') => variantDataOf(agg.variant(v) ?? new VariantAggregate());
  const canary = judgeCanary(side('baseline'), side('canary'));
  const results = buildResults({
    runId: 'fixture-run',
    scenario: 'failover',
    startedAt: new Date('2026-11-11T00:00:00Z'),
    endedAt: new Date('2026-11-11T00:00:21Z'),
    durationS: 20,
    status: 'completed',
    paychaosVersion: '0.1.0',
    load: { engine: 'builtin', targetRate: 20, achievedRate: 20, scheduledIterations: 400, droppedIterations: 0, maxInFlight: 4, eventLoopLagP99Ms: 2, driverHealthy: true },
    snapshot: agg.snapshot(),
    faults,
    invariants: [
      { name: 'no-double-charge', unit: 'orders', passed: false, checked: 380, violations: [{ orderId: HOSTILE.orderId, provider: 'stripe', message: HOSTILE.message, paymentIds: ['pi_1', 'pi_2'], traceId: HOSTILE.traceId }] },
      { name: 'captures-within-orders', unit: 'charges', passed: true, checked: 381, violations: [] },
    ],
    assertions: [
      { name: 'baseline.successRate >= 0.99', passed: false, measured: 0.9321, threshold: 0.99 },
      { name: 'driver_healthy', passed: true, measured: 2, threshold: 200 },
    ],
    canary,
    reconciliation: statementSummary(statement),
  });
  // As written and read back: NaN becomes null, unknown keys go.
  return { results: resultsSchema.parse(JSON.parse(JSON.stringify(results))), events, statement };
}

/** Write results.json, events.jsonl and reconciliation.csv of a fixture into dir (`false`: leave that file out). */
export async function writeFixture(dir: string, fixture: ReportFixture, options: { events?: boolean; statement?: boolean } = {}): Promise<string> {
  await mkdir(dir, { recursive: true });
  if (options.statement !== false) await writeStatement(dir, fixture.statement);
  await writeFile(join(dir, 'results.json'), JSON.stringify(fixture.results, null, 2));
  if (options.events !== false) await writeFile(join(dir, 'events.jsonl'), `${fixture.events.map((e) => JSON.stringify(e)).join('\n')}\n`);
  return join(dir, 'results.json');
}
