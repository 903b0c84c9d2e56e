import { describe, expect, it } from 'vitest';
import {
  AUTO_MAX_VUS,
  PROFILE_DEFAULTS,
  TRAFFIC_DEFAULTS,
  createRandom,
  planShopper,
  profileFromEnv,
  resolveTrafficConfig,
  vuSizing,
  type ShopperPlan,
} from '../../../load/lib/index.js';
import { k6VusFor } from '../../../src/load/index.js';

const traffic = resolveTrafficConfig({ runId: 'sizing-test' });
const demo = { ratePerS: 200, traffic, slo: PROFILE_DEFAULTS.slo, timeoutMs: 30_000 };
/** `paychaos demo`'s shoppers (src/scenario/demo.ts): short pauses, so a short run sees them come back. */
const demoTraffic = resolveTrafficConfig({ runId: 'demo-test', duplicateAfter: { minMs: 50, maxMs: 500 }, resumeAfter: { minMs: 200, maxMs: 1000 } });

/**
 * The shoppers in flight at the worst instant of a constant-arrival-rate run of the real traffic
 * model: arrivals every 1/rate s (k6's constant-arrival-rate), each shopper's planned pauses, and
 * each request's latency from `latencyMs` (a timeout leaves the outcome unknown, so the
 * after_unknown steps run). A burst lasts until its slowest click answers.
 */
function peakInFlight(ratePerS: number, seconds: number, latencyMs: (random: () => number) => number, model = traffic, timeoutMs = 30_000): number {
  const random = createRandom(7);
  const edges: Array<[number, number]> = [];
  const n = ratePerS * seconds;
  for (let i = 0; i < n; i++) {
    const start = (i * 1000) / ratePerS;
    edges.push([start, 1], [start + journeyMs(planShopper({ index: i }, model), () => latencyMs(random), timeoutMs), -1]);
  }
  // Ends sort before starts at the same instant: a VU that finished is free for the next shopper.
  edges.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let now = 0;
  let peak = 0;
  for (const [, d] of edges) peak = Math.max(peak, (now += d));
  return peak;
}

function journeyMs(plan: ShopperPlan, latency: () => number, timeoutMs: number): number {
  let t = 0;
  let unknown = false;
  let i = 0;
  while (i < plan.steps.length) {
    let end = i + 1;
    while (end < plan.steps.length && plan.steps[end]!.concurrent) end++;
    const burst = plan.steps.slice(i, end).filter((s) => s.when !== 'after_unknown' || unknown);
    const lead = plan.steps[i]!;
    i = end;
    if (burst.length === 0) continue;
    t += lead.delayMs;
    let longest = 0;
    for (const step of burst) {
      const ms = latency();
      if (step.kind === 'pay') unknown = ms >= timeoutMs;
      longest = Math.max(longest, (step === lead ? 0 : step.delayMs) + ms);
    }
    t += longest;
  }
  return t;
}

/** Latencies exactly at what the default thresholds allow: 95 % at p(95), 4 % at p(99), 1 % timing out. */
const atTheSloBound = (random: () => number): number => {
  const u = random();
  return u < 0.95 ? PROFILE_DEFAULTS.slo.p95Ms : u < 0.99 ? PROFILE_DEFAULTS.slo.p99Ms : 30_000;
};

describe('VU sizing for an arrival-rate scenario (load/lib/sizing.js)', () => {
  it('gives the known answer at the demo rate: Little\'s law over the journeys at the SLOs\' latency bound, plus 4σ', () => {
    const s = vuSizing(demo);
    // 0.95 × 500 + 0.04 × 1500 + 0.01 × 30000
    expect(s.requestMs).toBe(835);
    // (90·835 + 5·(1100 + 2·835) + 2·(150 + 835) + 2·(11000 + 2·835) + 1·(835 + 0.01·(1000 + 2·835))) / 100
    expect(s.journeyMs).toBeCloseTo(1171.717, 3);
    expect(s.inFlight).toBeCloseTo(234.343, 3);
    expect(s.preAllocatedVUs).toBe(297); // ⌈234.34 + 4·√234.34⌉ + 1
    // every request at the 30 s timeout: 32,988 ms a journey, 6,597.6 in flight
    expect(s.degradedJourneyMs).toBeCloseTo(32_988, 6);
    expect(s.maxVUs).toBe(6924);
  });

  it('holds 200/s by construction: the real shoppers at the SLOs\' worst latencies never need more VUs', () => {
    const sized = vuSizing(demo).preAllocatedVUs;
    const peak = peakInFlight(200, 60, atTheSloBound);
    expect(peak).toBeLessThanOrEqual(sized);
    // …and the margin is headroom, not slack: the peak is well past the mean in flight.
    expect(peak).toBeGreaterThan(vuSizing(demo).inFlight);
  });

  it('gives the known answer for the demo\'s own shoppers at 200/s, and holds it at the SLOs\' worst latencies', () => {
    // (90·835 + 5·(275 + 2·835) + 2·985 + 2·(600 + 2·835) + 861.7) / 100 = 922.47 ms a journey
    const s = vuSizing({ ...demo, traffic: demoTraffic });
    expect(s.journeyMs).toBeCloseTo(922.467, 3);
    expect(s.preAllocatedVUs).toBe(240); // ⌈184.5 + 4·√184.5⌉ + 1
    expect(peakInFlight(200, 60, atTheSloBound, demoTraffic)).toBeLessThanOrEqual(240);
  });

  it('negative controls: the old max(10, rate/10) = 20 VUs run out (issue #17: 41 dropped), and so does Little\'s law without headroom', () => {
    const sized = vuSizing({ ...demo, traffic: demoTraffic });
    const peak = peakInFlight(200, 60, atTheSloBound, demoTraffic);
    expect(peak).toBeGreaterThan(20);
    expect(peak).toBeGreaterThan(Math.ceil(sized.inFlight));
    expect(peak).toBeLessThanOrEqual(sized.preAllocatedVUs);
  });

  it('scales with the pauses of the traffic mix and refuses nonsense with the field named', () => {
    const patient = resolveTrafficConfig({ runId: 'p', resumeAfter: { minMs: 20_000, maxMs: 40_000 } });
    expect(vuSizing({ ...demo, traffic: patient }).preAllocatedVUs).toBeGreaterThan(vuSizing(demo).preAllocatedVUs);
    const payOnly = resolveTrafficConfig({ runId: 'p', behaviours: { pay: 1, duplicate_submit: 0, new_key_retry: 0, double_click: 0, abandon_resume: 0, retry_on_timeout: 0 } });
    expect(vuSizing({ ...demo, traffic: payOnly }).journeyMs).toBe(835);
    expect(() => vuSizing({ ...demo, ratePerS: 0 })).toThrow(/ratePerS: expected a number > 0/);
    expect(() => vuSizing({ ...demo, timeoutMs: Number.NaN })).toThrow(/timeoutMs/);
  });
});

describe('the k6 profile sizes its VUs unless told', () => {
  it('sizes a constant rate from the rate, the SLOs and REQUEST_TIMEOUT', () => {
    const p = profileFromEnv({ RATE: '200' });
    expect(p.preAllocatedVUs).toBe(297);
    expect(p.maxVUs).toBe(AUTO_MAX_VUS);
    // A longer timeout lengthens the 1 % of requests that reach it.
    expect(profileFromEnv({ RATE: '200', REQUEST_TIMEOUT: '60s' }).preAllocatedVUs).toBeGreaterThan(297);
    expect(() => profileFromEnv({ RATE: '200', REQUEST_TIMEOUT: 'soon' })).toThrow(/REQUEST_TIMEOUT: expected a k6 duration/);
  });

  it('sizes a ramping rate from its peak stage, in the profile\'s timeUnit', () => {
    const ramp = profileFromEnv({ EXECUTOR: 'ramping-arrival-rate', START_RATE: '10', STAGES: JSON.stringify([{ duration: '10s', target: 200 }, { duration: '10s', target: 50 }]) });
    expect(ramp.preAllocatedVUs).toBe(297);
    const perMinute = profileFromEnv({ PROFILE: JSON.stringify({ rate: 12_000, timeUnit: '1m' }) });
    expect(perMinute.preAllocatedVUs).toBe(297);
  });

  it('keeps what the profile sets, and an explicit maxVUs caps the sized pre-allocation', () => {
    expect(profileFromEnv({ RATE: '200', PRE_ALLOCATED_VUS: '50', MAX_VUS: '70' })).toMatchObject({ preAllocatedVUs: 50, maxVUs: 70 });
    expect(profileFromEnv({ RATE: '200', MAX_VUS: '100' })).toMatchObject({ preAllocatedVUs: 100, maxVUs: 100 });
    expect(profileFromEnv({ RATE: '200', PRE_ALLOCATED_VUS: '1500' })).toMatchObject({ preAllocatedVUs: 1500, maxVUs: 1500 });
    expect(() => profileFromEnv({ RATE: '200', PRE_ALLOCATED_VUS: '50', MAX_VUS: '40' })).toThrow(/maxVUs: expected an integer >= preAllocatedVUs/);
  });
});

describe('--load k6 hands k6 the sized VUs, within the run\'s concurrency cap', () => {
  it('at the demo\'s 200/s and its cap of 400', () => {
    expect(k6VusFor({ rate: 200, traffic: demoTraffic, maxInFlight: 400 })).toMatchObject({ preAllocatedVUs: 240, maxVUs: 400, capped: false });
    expect(k6VusFor({ rate: 200, traffic, maxInFlight: 400 })).toMatchObject({ preAllocatedVUs: 297, maxVUs: 400, capped: false });
  });

  it('says when the cap is below the sizing', () => {
    expect(k6VusFor({ rate: 200, traffic, maxInFlight: 100 })).toMatchObject({ preAllocatedVUs: 100, maxVUs: 100, capped: true });
  });

  it('uses the traffic mix of the run', () => {
    const wallets = resolveTrafficConfig({ ...TRAFFIC_DEFAULTS, runId: 'w', behaviours: { ...TRAFFIC_DEFAULTS.behaviours, abandon_resume: 20 } });
    expect(k6VusFor({ rate: 200, traffic: wallets, maxInFlight: 10_000 }).preAllocatedVUs).toBeGreaterThan(297);
  });
});
