import { describe, expect, it } from 'vitest';
import { PROFILE_FIELDS, mergeProfile, parseTimeline, PROVIDER_STEPS } from '../../../src/chaos/index.js';
import { SIMULATORS, parseProfile, profileSchema } from '../../../simulators/index.js';

/**
 * Provider steps are written in chaos' own words (chaos may not import the simulators); these
 * tests keep them in step with the simulators' behaviour-profile schema, the real judge of a
 * profile: every field the `behaviour` step allows exists there, and every named step yields a
 * patch the simulator accepts and reads as meant.
 */
describe('provider steps against the behaviour-profile schema', () => {
  it('the behaviour step allows exactly the profile\'s fields', () => {
    expect([...PROFILE_FIELDS].sort()).toEqual(Object.keys(profileSchema([]).shape).sort());
  });

  // The patch each step sends, through a recording context: what the simulator would receive.
  const patchOf = async (step: Record<string, unknown>) => {
    const [parsed] = parseTimeline([{ at: 0, target: 'stripe', ...step }]);
    const definition = PROVIDER_STEPS.find((s) => s.type === parsed!.type)!;
    const puts: unknown[] = [];
    const realFetch = globalThis.fetch;
    globalThis.fetch = (async (_url: string, init?: RequestInit) => {
      if (init?.method === 'PUT') puts.push(JSON.parse(String(init.body)));
      return new Response(JSON.stringify({ profile: {} }), { status: 200 });
    }) as typeof fetch;
    try {
      const ctx = { provider: () => ({ behaviourUrl: 'http://127.0.0.1:9/__sim/behaviour' }), signal: new AbortController().signal } as never;
      const undo = await definition.apply({ ...parsed!.params, id: `p-${Math.random()}`, target: 'stripe' } as never, ctx);
      await undo();
    } finally {
      globalThis.fetch = realFetch;
    }
    return puts[0] as Record<string, unknown>;
  };

  it.each<[Record<string, unknown>, Record<string, unknown>]>([
    [{ type: 'provider-latency', median: '800ms', max: '5s' }, { latency: { kind: 'lognormal', median: 800, sigma: 0.5, max: 5000 } }],
    [{ type: 'provider-latency', min: '100ms', max: '300ms' }, { latency: { kind: 'uniform', min: 100, max: 300 } }],
    [{ type: 'provider-latency', fixed: '2s' }, { latency: { kind: 'fixed', value: 2000 } }],
    [{ type: 'provider-errors', rate: 0.3, status: 503 }, { serverErrors: { rate: 0.3, status: 503 } }],
    [{ type: 'rate-limit', perSecond: 20, retryAfter: '2s' }, { rateLimit: { perSecond: 20, retryAfter: 2000 } }],
    [{ type: 'maintenance' }, { maintenance: { after: 0 } }],
    [{ type: 'charged-then-error' }, { commitThenError: { rate: 1, status: 500 } }],
    [{ type: 'webhook', delay: '30s', duplicate: 0.2, badSignature: 0.1 }, { webhooks: { delay: { kind: 'fixed', value: 30_000 }, duplicate: 0.2, badSignature: 0.1 } }],
    [{ type: 'behaviour', profile: { outcomes: { card_declined: 0.5 } } }, { outcomes: { card_declined: 0.5 } }],
  ])('%j sends a patch the simulator accepts as meant', async (step, expected) => {
    const patch = await patchOf(step);
    expect(patch).toEqual(expected);
    const parsed = parseProfile(patch, SIMULATORS.stripe.outcomeCodes);
    expect(parsed.ok).toBe(true);
    if (parsed.ok) expect(parsed.profile).toMatchObject(expected);
  });

  it('merges top-level fields by replacing them, and webhooks field by field', () => {
    const base = { latency: { kind: 'lognormal', median: 50, sigma: 1 }, webhooks: { url: 'http://127.0.0.1:1/hook', drop: 0, duplicate: 0 } };
    expect(mergeProfile(base, { latency: { kind: 'fixed', value: 5 }, webhooks: { drop: 0.5 } })).toEqual({
      latency: { kind: 'fixed', value: 5 },
      webhooks: { url: 'http://127.0.0.1:1/hook', drop: 0.5, duplicate: 0 },
    });
  });
});
