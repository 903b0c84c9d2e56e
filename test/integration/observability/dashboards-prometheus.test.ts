import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dashboards, FAULT_WINDOWS, panelQueries, type DashboardQuery } from '../../../grafana/src/index.js';
import { DEFAULT_JUDGE_CONFIG, parseJudgeConfig } from '../../../src/analysis/index.js';
import { freePort } from '../../../src/kernel/index.js';
import { prometheusSource, startJudgeServer } from '../../../src/judge/index.js';
import { HarnessMetrics, serveHarnessMetrics } from '../../../src/telemetry/harness/index.js';
import { drive, OBSERVED_RUN, startObservedGateways, type ObservedGateways, type Traffic } from './observed-gateways.js';
import { checkQueries, substitute, SUBSTITUTIONS } from './query-check.js';
import { instantQuery, prometheusAvailable, PROMETHEUS_BIN, rangeQuery, startPrometheus, until, type StartedPrometheus } from './real-prometheus.js';

/**
 * Every query of every shipped dashboard (grafana/dashboards/*.json, generated from grafana/src)
 * run through a real Prometheus that scrapes real gateways, with compose/prometheus.yml's jobs
 * and compose/rules/. The reference gateway runs as baseline and canary on 127.0.0.1 over the
 * Stripe and Adyen simulators behind the embedded proxy; a warm-up creates every series, then a
 * bounded mix of payments (successes, card declines, canary failovers while Stripe is down).
 * Each query must answer `success` and be non-empty; the headline numbers must equal what the
 * client saw. The harness's own GET /metrics stands where compose's Prometheus finds the harness's
 * metrics (the otel-collector job), with one real fault step (Stripe's proxy down) recorded on it:
 * the fault-window panel must read 1 exactly while that step was active. Skipped, with the reason
 * printed, where the Prometheus binary is absent.
 */
if (!prometheusAvailable) console.warn(`[skip] dashboards against a real Prometheus: ${PROMETHEUS_BIN} not found (apt-get install --no-install-recommends prometheus, or set PROMETHEUS_BIN)`);

/** Panels that may be empty in this setup, and why. */
const MAY_BE_EMPTY: Readonly<Record<string, string>> = {
  'Time to recover': "no payment reaches this setup's harness metrics, so no step can be seen recovering; drill-prometheus.test.ts runs a drill through the harness and requires it",
};

const ALL_QUERIES: DashboardQuery[] = Object.values(dashboards()).flatMap(panelQueries);

describe.skipIf(!prometheusAvailable)('every dashboard query against a real Prometheus scraping real gateways', () => {
  let observed: ObservedGateways;
  let prometheus: StartedPrometheus;
  let judge: { url: string; close(): Promise<void> };
  let harness: HarnessMetrics;
  let harnessServer: { url: string; close(): Promise<void> };
  /** Wall-clock ms when the harness's fault step began and ended. */
  let step: { startMs: number; endMs: number };
  let main: Traffic;
  const seen = (t: Traffic, v: 'baseline' | 'canary') => Object.values(t.answered[v]).reduce((a, b) => a + b, 0);

  beforeAll(async () => {
    observed = await startObservedGateways();
    const promPort = await freePort();
    judge = await startJudgeServer({ config: parseJudgeConfig(DEFAULT_JUDGE_CONFIG), source: prometheusSource(`http://127.0.0.1:${promPort}`) });
    harness = new HarnessMetrics(OBSERVED_RUN);
    harnessServer = await serveHarnessMetrics(harness);
    const hostOf = (u: string) => new URL(u).host;
    prometheus = await startPrometheus(
      {
        'gateway-baseline:8080': hostOf(observed.gateways.baseline.url),
        'gateway-canary:8080': hostOf(observed.gateways.canary.url),
        'toxiproxy:8474': hostOf(observed.proxy.url),
        'judge:8787': hostOf(judge.url),
        'otel-collector:8889': hostOf(harnessServer.url),
      },
      promPort,
    );
    const gatewaysUp = async () => (await instantQuery(prometheus.url, 'sum(up{job="gateways"})')).result[0]?.value[1] === '2';
    await until(gatewaysUp, 15_000, () => `gateways never scraped:\n${prometheus.log()}`);
    // Warm-up: every series the main phase touches exists, scraped, before it starts, so rate()
    // over the window counts every main-phase payment (a counter's first sample is its baseline).
    const warm = await drive(observed, 1);
    const total = (v: string) => async () => (await instantQuery(prometheus.url, `sum(payment_requests_total{paychaos_variant="${v}"})`)).result[0]?.value[1];
    const scrapedAll = async (t: Traffic[]) => (await total('baseline')()) === String(t.reduce((s, x) => s + seen(x, 'baseline'), 0)) && (await total('canary')()) === String(t.reduce((s, x) => s + seen(x, 'canary'), 0));
    await until(() => scrapedAll([warm]), 15_000, () => `warm-up never scraped:\n${prometheus.log()}`);
    await new Promise((r) => setTimeout(r, 1_500));
    main = await drive(observed, 6);
    await until(() => scrapedAll([warm, main]), 15_000, () => `payments never scraped:\n${prometheus.log()}`);
    // A real fault step, as the run's timeline hooks record it: Stripe's proxy down for 3 s (three
    // scrapes at least), no traffic meanwhile, so the panels above measure the same payments.
    const down = await observed.stack.chaos.applyFault({ type: 'down', target: observed.stack.providers.stripe!.proxy });
    const startMs = Date.now();
    harness.faultStarted({ id: 'stripe-down', target: 'stripe' });
    await new Promise((r) => setTimeout(r, 3_000));
    harness.faultEnded({ id: 'stripe-down', target: 'stripe' });
    const endMs = Date.now();
    await down.remove();
    step = { startMs, endMs };
    await until(async () => (await instantQuery(prometheus.url, 'paychaos_fault_active == 0')).result.length === 1, 15_000, () => `the step's end never scraped:\n${prometheus.log()}`);
    // The judge judges once from this Prometheus, then is scraped; recording rules get an evaluation.
    const verdict = await fetch(`${judge.url}/judge?window=1m`);
    expect(verdict.status).toBe(200);
    await until(async () => (await instantQuery(prometheus.url, 'paychaos_canary_judgements_total')).result.length > 0, 15_000, () => 'judge never scraped');
    await until(async () => (await instantQuery(prometheus.url, 'paychaos_variant:payment_success:ratio_rate1m')).result.length === 2, 15_000, () => 'recording rules never evaluated');
  }, 90_000);

  afterAll(async () => {
    await prometheus?.close();
    await harnessServer?.close();
    await harness?.close();
    await judge?.close();
    await observed?.close();
  });

  it('the traffic was what the panels are asserted against: successes and declines at both, failovers at the canary', () => {
    expect(main.answered.baseline).toEqual({ succeeded: 24, failed: 6 });
    expect(main.answered.canary).toEqual({ succeeded: 30, failed: 6 });
    expect(main.failovers).toBe(6);
  });

  it(`runs all ${ALL_QUERIES.length} panel queries: each answers success with data`, async () => {
    expect(ALL_QUERIES.length).toBeGreaterThan(30);
    const problems = await checkQueries(prometheus.url, ALL_QUERIES, (q) => q.panel in MAY_BE_EMPTY);
    expect(problems.map((p) => `${p.query.dashboard} / ${p.query.panel} / ${p.query.refId}: ${p.problem}: ${p.detail}`)).toEqual([]);
  });

  it('the control: a misspelled metric name runs but comes back empty, and the check reports it', async () => {
    const good = ALL_QUERIES.find((q) => q.panel === 'Success rate')!;
    const typo = { ...good, expr: good.expr.replaceAll('payment_requests_total', 'payment_request_total') };
    const problems = await checkQueries(prometheus.url, [good, typo]);
    expect(problems.map((p) => [p.query.expr, p.problem])).toEqual([[typo.expr, 'empty']]);
    // And PromQL Prometheus cannot parse is reported as an error, not as "empty".
    const broken = await checkQueries(prometheus.url, [{ ...good, expr: 'sum(rate(payment_requests_total[$__rate_interval])' }]);
    expect(broken.map((p) => p.problem)).toEqual(['error']);
  });

  it('every template variable lists the real label values', async () => {
    for (const d of Object.values(dashboards())) {
      for (const v of d.templating.list) {
        const m = /^label_values\((\w+), (\w+)\)$/.exec(v.definition)!;
        const res = (await (await fetch(`${prometheus.url}/api/v1/label/${m[2]}/values?${new URLSearchParams({ 'match[]': m[1]! })}`)).json()) as { status: string; data: string[] };
        expect(res.status, v.definition).toBe('success');
        const expected = { paychaos_scenario: [OBSERVED_RUN.scenario], paychaos_run: [OBSERVED_RUN.runId], paychaos_variant: ['baseline', 'canary'], payment_provider: ['adyen', 'stripe'], payment_method: ['card'] }[m[2]!];
        expect(res.data, `${d.uid} $${v.name}`).toEqual(expected);
      }
    }
  });

  it('the scenario and run variables pick the run: its own values keep every run-labelled panel, another run empties them', async () => {
    const runLabelled = ALL_QUERIES.filter((q) => q.expr.includes('paychaos_run=~"$run"') && !(q.panel in MAY_BE_EMPTY));
    expect(runLabelled.length).toBeGreaterThan(30);
    const picked = { ...SUBSTITUTIONS, scenario: OBSERVED_RUN.scenario, run: OBSERVED_RUN.runId };
    const other = { ...SUBSTITUTIONS, run: 'some-other-run' };
    for (const q of runLabelled) {
      expect((await instantQuery(prometheus.url, substitute(q.expr, picked))).result.length, `${q.dashboard} / ${q.panel}`).toBeGreaterThan(0);
      expect((await instantQuery(prometheus.url, substitute(q.expr, other))).result, `${q.dashboard} / ${q.panel}`).toEqual([]);
    }
  });

  /** One number from a panel's query (substituted), optionally the series whose label matches. */
  const value = async (panel: string, dashboardUid: string, refId = 'A', where?: Record<string, string>): Promise<number> => {
    const q = ALL_QUERIES.find((x) => x.panel === panel && x.dashboard === dashboardUid && x.refId === refId)!;
    const { result } = await instantQuery(prometheus.url, substitute(q.expr));
    const row = result.find((r) => Object.entries(where ?? {}).every(([k, v]) => r.metric[k] === v));
    expect(row, `${panel}: no series ${JSON.stringify(where)} in ${JSON.stringify(result)}`).toBeDefined();
    return Number(row!.value[1]);
  };

  it('the overview\'s success rate equals the rate the client measured, within 0.03', async () => {
    // rate() over 1m at now covers exactly the main phase; baseline and canary are scraped at
    // slightly different instants, so extrapolation differs by a little: 0.03 covers it.
    const measured = (main.answered.baseline.succeeded! + main.answered.canary.succeeded!) / (seen(main, 'baseline') + seen(main, 'canary'));
    expect(Math.abs((await value('Success rate', 'paychaos-overview')) - measured)).toBeLessThan(0.03);
    expect(Math.abs((await value('Success rate by variant', 'paychaos-overview', 'A', { paychaos_variant: 'baseline' })) - 24 / 30)).toBeLessThan(0.03);
    expect(Math.abs((await value('Success rate by variant', 'paychaos-overview', 'A', { paychaos_variant: 'canary' })) - 30 / 36)).toBeLessThan(0.03);
  });

  it('the canary board\'s success-rate difference is canary minus baseline, and calls per payment show the canary\'s failovers', async () => {
    const diff = await value('Success rate — canary minus baseline', 'paychaos-canary');
    expect(Math.abs(diff - (30 / 36 - 24 / 30))).toBeLessThan(0.03);
    // Baseline: one call per payment. Canary: 36 payments, 36 + 12 calls (each failover: 2 refused at Stripe + Adyen).
    expect(Math.abs((await value('Provider calls per payment', 'paychaos-providers', 'A', { paychaos_variant: 'baseline' })) - 1)).toBeLessThan(0.03);
    expect(Math.abs((await value('Provider calls per payment', 'paychaos-providers', 'A', { paychaos_variant: 'canary' })) - 48 / 36)).toBeLessThan(0.05);
  });

  it('the failover board shows Stripe refusing connections (network_error) and the table names ECONNREFUSED', async () => {
    expect(await value('Failover-class call failures', 'paychaos-providers', 'A', { payment_provider: 'stripe', payment_error_code: 'network_error' })).toBeGreaterThan(0);
    const table = ALL_QUERIES.find((q) => q.panel === 'Failed calls by provider code')!;
    const { result } = await instantQuery(prometheus.url, substitute(table.expr));
    const refused = result.find((r) => r.metric.payment_provider_code === 'ECONNREFUSED');
    // increase() extrapolates towards the window's edges by up to half a scrape interval on each
    // side, which over a run of a few seconds is a large share: at least the 12 refused calls of
    // the main phase, at most twice that.
    expect(Number(refused?.value[1])).toBeGreaterThanOrEqual(11.5);
    expect(Number(refused?.value[1])).toBeLessThanOrEqual(24);
    // The stored counter itself is exact: 2 refused calls in the warm-up, 12 in the main phase.
    const raw = await instantQuery(prometheus.url, 'sum(payment_provider_calls_total{payment_provider_code="ECONNREFUSED"})');
    expect(raw.result[0]?.value[1]).toBe('14');
  });

  it('the resilience series count what the gateways did: Stripe retried and left once per outage payment, breakers closed throughout', async () => {
    // 1 outage payment in the warm-up, 6 in the main phase, all at the canary: each one refused
    // at Stripe, retried once (refused again), then failed over to Adyen (connection_refused).
    const raw = async (expr: string) => (await instantQuery(prometheus.url, expr)).result.map((r) => [r.metric, r.value[1]] as const);
    expect(await raw('sum by (paychaos_variant, payment_provider) (payment_provider_retries_total)')).toEqual([[{ paychaos_variant: 'canary', payment_provider: 'stripe' }, '7']]);
    expect(await raw('sum by (paychaos_variant, payment_failover_from, payment_provider, payment_failover_reason) (payment_failovers_total)')).toEqual([[{ paychaos_variant: 'canary', payment_failover_from: 'stripe', payment_provider: 'adyen', payment_failover_reason: 'connection_refused' }, '7']]);
    // The breaker never opens here (threshold 1000): every provider at both variants reads 0 (closed).
    const breakers = await raw('payment_provider_breaker_state');
    expect(breakers.map(([m, v]) => [m.paychaos_variant, m.payment_provider, v]).sort()).toEqual([['baseline', 'adyen', '0'], ['baseline', 'stripe', '0'], ['canary', 'adyen', '0'], ['canary', 'stripe', '0']]);
    // The panels over them: the stat's increase() extrapolates to the window's edges (as the table above).
    expect(await value('Failovers over the range', 'paychaos-chaos-drill', 'A', { payment_failover_from: 'stripe', payment_failover_reason: 'connection_refused' })).toBeGreaterThanOrEqual(5.5);
    expect(await value('Retries per provider', 'paychaos-providers', 'A', { payment_provider: 'stripe' })).toBeGreaterThan(0);
  });

  it('latency quantiles are ordered and plausible: 0 < p50 ≤ p95 ≤ p99 < 5 s', async () => {
    const [p50, p95, p99] = await Promise.all(['A', 'B', 'C'].map((r) => value('Latency p50 / p95 / p99', 'paychaos-overview', r)));
    expect(p50).toBeGreaterThan(0);
    expect(p50).toBeLessThanOrEqual(p95!);
    expect(p95).toBeLessThanOrEqual(p99!);
    expect(p99).toBeLessThan(5);
  });

  it('the recording rules hold data for both variants, each series labelled with the scenario and run it measured', async () => {
    for (const rule of ['paychaos_variant:payment_requests:rate1m', 'paychaos_variant:payment_success:ratio_rate1m', 'paychaos_variant_code:payment_errors:ratio_rate1m', 'paychaos_variant:payment_duration_seconds:p95_rate1m', 'paychaos_variant:payment_provider_calls_per_payment:ratio_rate1m', 'paychaos_variant_provider:payment_provider_breaker_state:max1m']) {
      const { status, result } = await instantQuery(prometheus.url, rule);
      expect(status).toBe('success');
      expect(new Set(result.map((r) => r.metric.paychaos_variant)), rule).toEqual(new Set(['baseline', 'canary']));
      for (const r of result) expect([r.metric.paychaos_scenario, r.metric.paychaos_run], rule).toEqual([OBSERVED_RUN.scenario, OBSERVED_RUN.runId]);
    }
    // Failovers happened at the canary only: the rule has its series, from stripe to adyen.
    const failovers = await instantQuery(prometheus.url, 'paychaos_variant_provider:payment_failovers:rate1m');
    expect(failovers.result.map((r) => [r.metric.paychaos_run, r.metric.paychaos_variant, r.metric.payment_failover_from, r.metric.payment_provider])).toEqual([[OBSERVED_RUN.runId, 'canary', 'stripe', 'adyen']]);
  });

  it("the fault-window panel reads 1 exactly while the step was active: absent before, 1 during, 0 after", async () => {
    const q = ALL_QUERIES.find((x) => x.panel === 'Fault steps active')!;
    // On a busy machine the last scrape may still predate the step's end: wait for one after it.
    const lastScrapeMs = async () => Number((await instantQuery(prometheus.url, 'max(timestamp(paychaos_fault_active))')).result[0]?.value[1] ?? 0) * 1000;
    await until(async () => (await lastScrapeMs()) > step.endMs + 100, 15_000, () => 'no scrape of paychaos_fault_active after the step ended');
    // Every scrape of the step's series: [seconds, value], in order (a range selector over the whole test).
    const { result } = await instantQuery(prometheus.url, `${substitute(q.expr).replace(/^max by \(fault, target\) \((.*)\)$/, '$1')}[10m]`);
    expect(result.map((r) => r.metric)).toEqual([{ __name__: 'paychaos_fault_active', fault: 'stripe-down', target: 'stripe', paychaos_scenario: OBSERVED_RUN.scenario, paychaos_run: OBSERVED_RUN.runId, job: 'otel-collector', instance: expect.any(String) }]);
    const points = ((result[0] as unknown as { values: Array<[number, string]> }).values).map(([t, v]) => [t * 1000, Number(v)] as const);
    // A scrape reads the gauge a few ms after its timestamp: 100 ms of slack at each edge.
    const during = points.filter(([t]) => t > step.startMs && t < step.endMs - 100);
    const after = points.filter(([t]) => t > step.endMs + 100);
    expect(during.length).toBeGreaterThanOrEqual(2);
    expect(during.every(([, v]) => v === 1)).toBe(true);
    expect(after.length).toBeGreaterThanOrEqual(1);
    expect(after.every(([, v]) => v === 0)).toBe(true);
    expect(points.filter(([t]) => t < step.startMs - 100)).toEqual([]);
    // The dashboards' annotation, as Grafana evaluates it over the range: points only while the
    // step was active (one region, where the step was), none before or after.
    const windows = await rangeQuery(prometheus.url, substitute(FAULT_WINDOWS.expr), (step.startMs - 5000) / 1000, (step.endMs + 5000) / 1000, 0.5);
    expect(windows.map((w) => w.metric)).toEqual([{ fault: 'stripe-down', target: 'stripe' }]);
    const shaded = windows[0]!.values.map(([t]) => t * 1000);
    expect(shaded.length).toBeGreaterThanOrEqual(4);
    expect(shaded.every((t) => t >= step.startMs && t <= step.endMs + 1500)).toBe(true);
    // And the panel's own query, now: 0 (the step is over), one series per step.
    const now = await instantQuery(prometheus.url, substitute(q.expr));
    expect(now.result.map((r) => [r.metric.fault, r.metric.target, r.value[1]])).toEqual([['stripe-down', 'stripe', '0']]);
  });
});
