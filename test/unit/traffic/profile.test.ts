import { describe, expect, it } from 'vitest';
import { PROFILE_DEFAULTS, profileFromEnv, resolveLoadProfile } from '../../../load/lib/index.js';

describe('a load profile from JSON and environment', () => {
  it('uses the defaults when nothing is set', () => {
    // VUs left at 0 are sized for the default 50/s (test/unit/k6/vu-sizing.test.ts):
    // ⌈58.6 + 4·√58.6⌉ + 1 pre-allocated, and up to the 1000 a sized profile allows.
    expect(profileFromEnv({})).toEqual({ ...PROFILE_DEFAULTS, preAllocatedVUs: 91, maxVUs: 1000 });
  });

  it('lets single environment variables override the JSON profile', () => {
    const profile = profileFromEnv(
      { RATE: '300', BASELINE_URL: 'http://gw:8080', CANARY_URL: 'http://gw-canary:8080', CANARY_WEIGHT: '0.1', MIX: 'double11', SEED: '9', SLO_P95_MS: '250' },
      JSON.stringify({ rate: 100, duration: '2m', traffic: { behaviours: { pay: 1 } } }),
    );
    expect(profile).toMatchObject({
      rate: 300,
      duration: '2m',
      targets: { baseline: 'http://gw:8080', canary: 'http://gw-canary:8080' },
      traffic: { behaviours: { pay: 1 }, variants: { baseline: 0.9, canary: 0.1 }, mix: 'double11', seed: 9 },
      slo: { ...PROFILE_DEFAULTS.slo, p95Ms: 250 },
    });
  });

  it('takes ramping stages as JSON', () => {
    const profile = profileFromEnv({ EXECUTOR: 'ramping-arrival-rate', START_RATE: '5', STAGES: '[{"duration":"30s","target":50}]' });
    expect(profile).toMatchObject({ executor: 'ramping-arrival-rate', startRate: 5, stages: [{ duration: '30s', target: 50 }] });
  });

  it('reports every problem of a profile at once', () => {
    expect(() => resolveLoadProfile({ executor: 'constant-vus', rate: 0, duration: 'soon', targets: { baseline: 'gw:8080' }, speed: 1 })).toThrow(
      /speed: unknown key[\s\S]*executor: [\s\S]*rate: [\s\S]*duration: [\s\S]*targets\.baseline: /,
    );
    expect(() => profileFromEnv({ CANARY_WEIGHT: '0.5' })).toThrow(/targets\.canary: canary traffic is weighted but no CANARY_URL/);
    expect(() => profileFromEnv({ RATE: 'lots' })).toThrow(/RATE: expected a number/);
    expect(() => profileFromEnv({ PROFILE: '{' })).toThrow(/PROFILE: not JSON/);
  });
});
