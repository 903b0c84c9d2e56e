import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dashboards, panelQueries, type DashboardQuery } from '../../../grafana/src/index.js';
import type { PaymentEvent } from '../../../src/analysis/index.js';
import { HarnessMetrics, serveHarnessMetrics } from '../../../src/telemetry/harness/index.js';
import { pay, startObservedGateways, type ObservedGateways } from './observed-gateways.js';
import { checkQueries, substitute } from './query-check.js';
import { instantQuery, prometheusAvailable, rangeQuery, startPrometheus, until, type StartedPrometheus } from './real-prometheus.js';

/**
 * A failover drill watched through the Chaos drill and Providers dashboards, against a real
 * Prometheus (as dashboards-prometheus.test.ts: the repository's compose/prometheus.yml and rules,
 * 1 s scrapes). Baseline and canary route cards stripe → adyen with a breaker that opens after 2
 * failed calls and probes 4 s later. Payments flow the whole time, each handed to the harness's
 * metrics as the driver would; in the middle one fault step takes Stripe's proxy down for 3 s.
 *
 *   steady 2.5 s ─▶ stripe down 3 s (breakers open: 2; payments fail over to adyen) ─▶ proxy back,
 *   6 s more (the probe 4 s after opening succeeds: 0; stripe serves again: time to recover)
 *
 * Every query of both dashboards must answer with data; the breaker panel must read 2 for Stripe
 * while it was down and 0 after; the failovers counter must equal the failovers the client saw;
 * time to recover must be what the client's own answers show, inside the run. Skipped where the
 * Prometheus binary is absent (dashboards-prometheus.test.ts prints why).
 */
const DRILL_RUN = { scenario: 'drill-check', runId: 'run-drill-1' } as const;
const QUERIES: DashboardQuery[] = [dashboards()['chaos-drill.json']!, dashboards()['providers.json']!].flatMap(panelQueries);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** True when every point from `fromMs` to `toMs` (wall clock) reads `value`, and there are at least two. */
function readsThroughout(points: ReadonlyArray<readonly [number, string]>, fromMs: number, toMs: number, value: number): boolean {
  const inside = points.filter(([t]) => t * 1000 >= fromMs && t * 1000 <= toMs);
  return inside.length >= 2 && inside.every(([, v]) => Number(v) === value);
}

describe.skipIf(!prometheusAvailable)('a failover drill on the Chaos drill and Providers dashboards, through a real Prometheus', () => {
  let observed: ObservedGateways;
  let prometheus: StartedPrometheus;
  let harness: HarnessMetrics;
  let harnessServer: { url: string; close(): Promise<void> };
  /** Wall-clock ms: the drill's start, the step's start and end, the drill's end. */
  const at = { origin: 0, stepStart: 0, stepEnd: 0, end: 0 };
  const events: PaymentEvent[] = [];

  /** Payments alternating baseline and canary, one every ~20 ms, until `untilMs`: each recorded as the driver would. */
  const flow = async (untilMs: number): Promise<void> => {
    for (let i = 0; Date.now() < untilMs; i++) {
      const variant = i % 2 === 0 ? 'baseline' : 'canary';
      const sent = Date.now();
      const r = await pay(observed.gateways[variant]);
      const e: PaymentEvent = {
        t: sent - at.origin,
        variant,
        provider: r.provider ?? 'unknown',
        method: 'card',
        outcome: r.status === 'succeeded' ? 'succeeded' : r.status === 'pending' ? 'pending' : 'failed',
        latencyMs: Date.now() - sent,
        status: r.httpStatus,
        orderId: r.orderId,
        idempotencyKey: `key-${r.orderId}`,
        ...(r.failoverFrom !== undefined ? { failoverFrom: r.failoverFrom } : {}),
      };
      events.push(e);
      harness.recordPayment(e);
      await sleep(20);
    }
  };

  beforeAll(async () => {
    observed = await startObservedGateways({ run: DRILL_RUN, breaker: { failureThreshold: 2, halfOpenAfterMs: 4_000 } });
    harness = new HarnessMetrics(DRILL_RUN);
    harnessServer = await serveHarnessMetrics(harness);
    const hostOf = (u: string) => new URL(u).host;
    prometheus = await startPrometheus({
      'gateway-baseline:8080': hostOf(observed.gateways.baseline.url),
      'gateway-canary:8080': hostOf(observed.gateways.canary.url),
      'toxiproxy:8474': hostOf(observed.proxy.url),
      'otel-collector:8889': hostOf(harnessServer.url),
    });
    await until(async () => (await instantQuery(prometheus.url, 'sum(up{job="gateways"})')).result[0]?.value[1] === '2', 15_000, () => `gateways never scraped:\n${prometheus.log()}`);
    at.origin = Date.now();
    await flow(at.origin + 2_500);
    const down = await observed.stack.chaos.applyFault({ type: 'down', target: observed.stack.providers.stripe!.proxy });
    at.stepStart = Date.now();
    harness.faultStarted({ id: 'stripe-down', target: 'stripe' });
    try {
      await flow(at.stepStart + 3_000);
    } finally {
      at.stepEnd = Date.now();
      harness.faultEnded({ id: 'stripe-down', target: 'stripe' }, at.stepEnd - at.origin);
      await down.remove();
    }
    await flow(at.stepEnd + 6_000);
    at.end = Date.now();
    // Scraped past the end: the last counters and the closed breakers are in Prometheus.
    await until(async () => Number((await instantQuery(prometheus.url, 'min(timestamp(payment_provider_breaker_state))')).result[0]?.value[1] ?? 0) * 1000 > at.end + 100, 15_000, () => `no scrape after the drill:\n${prometheus.log()}`);
  }, 90_000);

  afterAll(async () => {
    await prometheus?.close();
    await harnessServer?.close();
    await harness?.close();
    await observed?.close();
  });

  it('the drill did what it is asserted against: failovers while Stripe was down, Stripe serving again after', () => {
    const during = events.filter((e) => e.t >= at.stepStart - at.origin && e.t < at.stepEnd - at.origin);
    expect(during.length).toBeGreaterThan(20);
    expect(during.every((e) => e.outcome === 'succeeded' && e.provider === 'adyen' && e.failoverFrom === 'stripe')).toBe(true);
    expect(events.some((e) => e.t > at.stepEnd - at.origin && e.provider === 'stripe' && e.outcome === 'succeeded')).toBe(true);
  });

  it(`runs all ${QUERIES.length} queries of both dashboards: each answers success with data`, async () => {
    expect(QUERIES.length).toBeGreaterThan(15);
    const problems = await checkQueries(prometheus.url, QUERIES);
    expect(problems.map((p) => `${p.query.dashboard} / ${p.query.panel} / ${p.query.refId}: ${p.problem}: ${p.detail}`)).toEqual([]);
  });

  const panel = (title: string) => QUERIES.find((q) => q.panel === title)!;

  it("the breaker panel reads 0 before the outage, 2 (open) for Stripe while it was down, 0 once the probe closed it; Adyen's 0 throughout", async () => {
    const series = await rangeQuery(prometheus.url, substitute(panel('Breaker state').expr), (at.origin - 2_000) / 1000, at.end / 1000, 0.5);
    const of = (variant: string, provider: string) => series.find((s) => s.metric.paychaos_variant === variant && s.metric.payment_provider === provider)!.values;
    // A scrape every second: from 1.5 s after a change every point reads the new state.
    for (const variant of ['baseline', 'canary']) {
      expect(readsThroughout(of(variant, 'stripe'), at.origin + 1_500, at.stepStart, 0), `${variant} stripe before`).toBe(true);
      expect(readsThroughout(of(variant, 'stripe'), at.stepStart + 1_500, at.stepEnd, 2), `${variant} stripe during`).toBe(true);
      expect(readsThroughout(of(variant, 'adyen'), at.origin + 1_500, at.end, 0), `${variant} adyen`).toBe(true);
    }
    // Now (after the drill): every breaker closed.
    const now = await instantQuery(prometheus.url, substitute(panel('Breaker state').expr));
    expect(now.result.map((r) => r.value[1])).toEqual(['0', '0', '0', '0']);
  });

  it('the control: the same "open during the outage" check rejects a provider that never went down (Adyen) and a window before the outage', async () => {
    const series = await rangeQuery(prometheus.url, substitute(panel('Breaker state').expr), (at.origin - 2_000) / 1000, at.end / 1000, 0.5);
    const canary = (provider: string) => series.find((s) => s.metric.paychaos_variant === 'canary' && s.metric.payment_provider === provider)!.values;
    expect(readsThroughout(canary('adyen'), at.stepStart + 1_500, at.stepEnd, 2)).toBe(false);
    expect(readsThroughout(canary('stripe'), at.origin + 1_500, at.stepStart, 2)).toBe(false);
  });

  it('the failovers counter equals the failovers the client saw, all stripe → adyen, and the drill panels show them', async () => {
    const seen = events.filter((e) => e.failoverFrom === 'stripe').length;
    expect(seen).toBeGreaterThan(20);
    const { result } = await instantQuery(prometheus.url, `sum by (payment_failover_from, payment_provider) (payment_failovers_total{paychaos_run="${DRILL_RUN.runId}"})`);
    expect(result.map((r) => [r.metric.payment_failover_from, r.metric.payment_provider, Number(r.value[1])])).toEqual([['stripe', 'adyen', seen]]);
    const total = (await instantQuery(prometheus.url, substitute(panel('Failovers over the range').expr))).result.reduce((s, r) => s + Number(r.value[1]), 0);
    expect(total).toBeGreaterThan(0);
    const perSecond = await rangeQuery(prometheus.url, substitute(panel('Failovers per second, from → to').expr), at.stepEnd / 1000, at.stepEnd / 1000, 1);
    expect(Number(perSecond[0]?.values[0]?.[1])).toBeGreaterThan(0);
  });

  it("time to recover is what the client's answers show, after the step's end and inside the run", async () => {
    const firstServed = events.find((e) => e.t >= at.stepEnd - at.origin && e.provider === 'stripe' && e.outcome === 'succeeded' && e.failoverFrom === undefined)!;
    const expected = Math.round(firstServed.t - (at.stepEnd - at.origin)) / 1000;
    const { result } = await instantQuery(prometheus.url, substitute(panel('Time to recover').expr));
    expect(result.map((r) => [r.metric.fault, r.metric.target])).toEqual([['stripe-down', 'stripe']]);
    const seconds = Number(result[0]!.value[1]);
    expect(seconds).toBeCloseTo(expected, 3);
    // The breaker probes 4 s after it opened (at the step's start), 3 s into the step: about 1 s after its end.
    expect(seconds).toBeGreaterThan(0);
    expect(seconds).toBeLessThan((at.end - at.stepEnd) / 1000);
  });
});
