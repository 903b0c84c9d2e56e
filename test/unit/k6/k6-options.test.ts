import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { profileFromEnv, profileSeconds, singlesDayProfile, totalIterations } from '../../../load/lib/index.js';

// load/options.js and load/summary.js import nothing from k6 at run time (only its types), so
// Node can run them; they are imported by URL to keep them out of the Node type check, which
// would not resolve their k6 type imports (tsconfig.k6.json checks them instead).
const LOAD = join(import.meta.dirname, '../../../load');
type Options = { scenarios: Record<string, Record<string, unknown>>; thresholds: Record<string, string[]>; summaryTrendStats: string[] };
const { k6Options } = (await import(pathToFileURL(join(LOAD, 'options.js')).href)) as { k6Options: (name: string, profile: unknown) => Options };
const { paychaosSummary } = (await import(pathToFileURL(join(LOAD, 'summary.js')).href)) as {
  paychaosSummary: (data: unknown, path: string) => Record<string, string>;
};

describe('k6 options from a load profile', () => {
  it('makes one constant-arrival-rate scenario and thresholds from the SLOs', () => {
    const options = k6Options('payments', profileFromEnv({ RATE: '250', DURATION: '2m', SLO_P95_MS: '300', SLO_SUCCESS_RATE: '0.9' }));
    expect(options.scenarios).toEqual({
      // Sized for 250/s at the tighter p(95) of 300 ms (vu-sizing.test.ts): a request 645 ms at
      // most on average, a journey 968.4 ms, ⌈242.1 + 4·√242.1⌉ + 1; k6 may grow to 1000.
      payments: { executor: 'constant-arrival-rate', rate: 250, timeUnit: '1s', duration: '2m', preAllocatedVUs: 306, maxVUs: 1000,
        // The schedule, on every sample k6 writes: what `paychaos ingest k6` reads the target rate from.
        tags: { paychaos_arrivals: '30000', paychaos_arrival_window: '120s' } },
    });
    expect(options.thresholds).toEqual({
      http_req_failed: ['rate<0.01'],
      'http_req_duration{endpoint:pay}': ['p(95)<300', 'p(99)<1500'],
      payment_success: ['rate>0.9'],
      dropped_iterations: ['count<1'],
    });
    expect(options.summaryTrendStats).toContain('p(99)');
  });

  it("makes the Singles'-Day spike a ramping-arrival-rate scenario, with per-variant thresholds for a canary", () => {
    const shape = singlesDayProfile({ scale: 0.001 });
    const profile = profileFromEnv({
      EXECUTOR: 'ramping-arrival-rate',
      START_RATE: String(shape.startRate),
      STAGES: JSON.stringify(shape.stages),
      BASELINE_URL: 'http://b',
      CANARY_URL: 'http://c',
      CANARY_WEIGHT: '0.1',
    });
    const options = k6Options('singles_day', profile);
    expect(options.scenarios.singles_day).toMatchObject({ executor: 'ramping-arrival-rate', startRate: 49, stages: shape.stages });
    expect(options.scenarios.singles_day!.tags).toEqual({ paychaos_arrivals: String(Math.round(totalIterations(shape))), paychaos_arrival_window: `${profileSeconds(shape)}s` });
    expect(options.thresholds['http_req_duration{endpoint:pay,variant:canary}']).toEqual(['p(95)<500']);
    expect(options.thresholds['payment_success{variant:baseline}']).toEqual(['rate>0.85']);
  });
});

describe('handleSummary', () => {
  it('writes the whole summary as JSON and a short text on stdout, naming failed thresholds', () => {
    const data = {
      state: { testRunDurationMs: 2003.8 },
      metrics: {
        iterations: { type: 'counter', values: { count: 81, rate: 40.4 } },
        http_reqs: { type: 'counter', values: { count: 90, rate: 44.9 } },
        http_req_failed: { type: 'rate', values: { rate: 0.02 }, thresholds: { 'rate<0.01': { ok: false } } },
        payment_success: { type: 'rate', values: { rate: 0.9 }, thresholds: { 'rate>0.85': { ok: true } } },
        paychaos_client_duration: { type: 'trend', values: { 'p(95)': 40.5, max: 41.6 } },
      },
    };
    const out = paychaosSummary(data, 'summary.json');
    expect(JSON.parse(out['summary.json']!)).toEqual(data);
    expect(out.stdout).toContain('shoppers     81 (40.4/s) in 2.0 s, dropped 0');
    expect(out.stdout).toContain('paid         90.00% of shoppers');
    expect(out.stdout).toContain('FAILED http_req_failed: rate<0.01');
  });
});
