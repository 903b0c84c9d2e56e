import { describe, expect, it } from 'vitest';
import { Behaviour } from '../../../../simulators/core/index.js';
import { Random } from '../../../../src/kernel/index.js';

function engine(profile: unknown) {
  let now = 0;
  const b = new Behaviour({ outcomeCodes: ['declined'], random: new Random(1), now: () => now, initial: profile });
  return { b, at: (ms: number) => (now = ms) };
}

describe('Behaviour gate', () => {
  it('opens a maintenance window `after` the profile is applied and closes it `for` later', () => {
    const { b, at } = engine({ maintenance: { after: '10s', for: '5s' } });
    expect(b.gate()).toBeUndefined();
    at(10_000);
    expect(b.gate()).toEqual({ kind: 'maintenance' });
    at(14_999);
    expect(b.gate()).toEqual({ kind: 'maintenance' });
    at(15_000);
    expect(b.gate()).toBeUndefined();
  });

  it('fails every request during each periodic burst and none between', () => {
    const { b, at } = engine({ bursts: { every: '1m', for: '10s', status: 502 } });
    const at_ = (ms: number) => (at(ms), b.gate());
    expect(at_(0)).toEqual({ kind: 'server_error', status: 502 });
    expect(at_(9_999)).toEqual({ kind: 'server_error', status: 502 });
    expect(at_(10_000)).toBeUndefined();
    expect(at_(60_000)).toEqual({ kind: 'server_error', status: 502 });
    expect(at_(75_000)).toBeUndefined();
  });

  it('rate limits with a token bucket of perSecond that refills over time', () => {
    const { b, at } = engine({ rateLimit: { perSecond: 2, retryAfter: '1500ms' } });
    expect([b.gate(), b.gate(), b.gate()]).toEqual([undefined, undefined, { kind: 'rate_limited', retryAfterS: 2 }]);
    at(500);
    expect(b.gate()).toBeUndefined();
    expect(b.gate()).toEqual({ kind: 'rate_limited', retryAfterS: 2 });
  });

  it('restarts windows when a new profile is applied, and keeps the old one when the new one is invalid', () => {
    const { b, at } = engine({});
    at(50_000);
    expect(b.apply({ maintenance: { after: '1s' } }).ok).toBe(true);
    expect(b.gate()).toBeUndefined();
    at(51_000);
    expect(b.gate()).toEqual({ kind: 'maintenance' });
    const bad = b.apply({ maintenance: { after: 'soon' } });
    expect(bad.ok).toBe(false);
    expect(b.gate()).toEqual({ kind: 'maintenance' });
  });
});

describe('Behaviour draws', () => {
  it('draws fixed, uniform and capped lognormal latency within their bounds', () => {
    expect(engine({ latency: { kind: 'fixed', value: '25ms' } }).b.processingDelayMs()).toBe(25);
    const u = engine({ latency: { kind: 'uniform', min: 10, max: 20 } }).b;
    for (let i = 0; i < 200; i++) {
      const v = u.processingDelayMs();
      expect(v >= 10 && v <= 20).toBe(true);
    }
    const l = engine({ latency: { kind: 'lognormal', median: 50, sigma: 2, max: 80 } }).b;
    for (let i = 0; i < 200; i++) expect(l.processingDelayMs()).toBeLessThanOrEqual(80);
    expect(engine({}).b.processingDelayMs()).toBe(0);
  });

  it('forces outcomes only as often as their share, and commit-then-error only when configured', () => {
    const { b } = engine({ outcomes: { declined: 0.25 }, commitThenError: { rate: 0.5, status: 502 } });
    let declined = 0;
    let errors = 0;
    for (let i = 0; i < 2000; i++) {
      if (b.drawOutcome(`o${i}`) === 'declined') declined++;
      if (b.commitThenError() === 502) errors++;
    }
    // Binomial(2000, p): sd ≈ 19 for 0.25, ≈ 22 for 0.5; a ±5 sd band.
    expect(Math.abs(declined - 500)).toBeLessThan(100);
    expect(Math.abs(errors - 1000)).toBeLessThan(110);
    expect(engine({}).b.commitThenError()).toBeUndefined();
  });
});

describe('Behaviour fired counts', () => {
  it('counts each fault decision it took by profile field, across profile changes, and nothing it did not take', () => {
    const { b, at } = engine({});
    expect(b.fired()).toEqual({ maintenance: 0, rateLimit: 0, bursts: 0, serverErrors: 0, commitThenError: 0, idempotencyOutage: 0, disputes: 0 });
    expect(b.apply({ commitThenError: { rate: 1 }, serverErrors: { rate: 0 } }).ok).toBe(true);
    expect([b.commitThenError(), b.commitThenError(), b.gate()]).toEqual([500, 500, undefined]);
    expect(b.apply({ maintenance: { after: 0 } }).ok).toBe(true);
    at(1);
    b.gate();
    // The count outlives the profile that made it: a step reads it when it starts and when it ends.
    expect(b.apply({}).ok).toBe(true);
    expect(b.commitThenError()).toBeUndefined();
    expect(b.fired()).toEqual({ maintenance: 1, rateLimit: 0, bursts: 0, serverErrors: 0, commitThenError: 2, idempotencyOutage: 0, disputes: 0 });
  });

  it('counts a share only when the draw picked it', () => {
    const { b } = engine({ commitThenError: { rate: 0.5 } });
    const fired = Array.from({ length: 200 }, () => b.commitThenError()).filter((s) => s !== undefined).length;
    expect(b.fired().commitThenError).toBe(fired);
    expect(fired).toBeGreaterThan(50);
    expect(fired).toBeLessThan(150);
  });
});
