import { describe, expect, it } from 'vitest';
import { parseProfile } from '../../../../simulators/core/index.js';

const CODES = ['card_declined', 'insufficient_funds'];

describe('behaviour profile validation', () => {
  it('accepts an empty profile and fills in the defaults', () => {
    const r = parseProfile({}, CODES);
    expect(r).toEqual({ ok: true, profile: { outcomes: {}, webhooks: { duplicate: 0, drop: 0, badSignature: 0, timeout: 10_000 } } });
  });

  it('turns duration strings into milliseconds and freezes the result', () => {
    const r = parseProfile({ latency: { kind: 'lognormal', median: '20ms', sigma: 0.5 }, maintenance: { after: '1m', for: '30s' }, rateLimit: { perSecond: 5, retryAfter: '2s' } }, CODES);
    if (!r.ok) throw new Error(JSON.stringify(r.problems));
    expect(r.profile.latency).toEqual({ kind: 'lognormal', median: 20, sigma: 0.5 });
    expect(r.profile.maintenance).toEqual({ after: 60_000, for: 30_000 });
    expect(r.profile.rateLimit).toEqual({ perSecond: 5, retryAfter: 2000 });
    expect(Object.isFrozen(r.profile)).toBe(true);
    expect(Object.isFrozen(r.profile.webhooks)).toBe(true);
  });

  it('reports every problem at once, each with its path', () => {
    const r = parseProfile({
      outcomes: { card_declined: 0.7, stolen_card: 0.5 },
      latency: { kind: 'fixed', value: 'banana' },
      bogus: 1,
      webhooks: { drop: 2, url: 'ftp://example.com' },
      bursts: { every: 0, for: '1s' },
    }, CODES);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const paths = r.problems.map((p) => p.path);
    expect(paths).toEqual(expect.arrayContaining(['outcomes.stolen_card', 'outcomes', 'latency.value', '(root)', 'webhooks.drop', 'webhooks.url', 'bursts.every']));
    expect(r.problems.find((p) => p.path === '(root)')?.message).toMatch(/unknown key "bogus"/);
    expect(r.problems.find((p) => p.path === 'latency.value')?.message).toMatch(/duration/);
    expect(r.problems.find((p) => p.path === 'outcomes')?.message).toMatch(/must not exceed 1/);
  });

  it('rejects an outcome chain with an unknown provider code', () => {
    const r = parseProfile({ chain: { rate: 0.5, code: 'nope' } }, CODES);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problems.map((p) => p.path)).toEqual(['chain.code']);
  });

  it('rejects a latency of unknown kind and unknown keys inside a latency', () => {
    const r = parseProfile({ latency: { kind: 'gamma' }, webhooks: { delay: { kind: 'fixed', value: 5, extra: true } } }, CODES);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems.map((p) => p.path)).toEqual(expect.arrayContaining(['latency.kind', 'webhooks.delay']));
  });

  it('rejects a uniform latency whose max is below its min, and a rate limit with neither knob', () => {
    const r = parseProfile({ latency: { kind: 'uniform', min: 50, max: 10 }, rateLimit: { retryAfter: 1000 } }, CODES);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems.map((p) => p.path)).toEqual(expect.arrayContaining(['latency.max', 'rateLimit']));
  });
});
