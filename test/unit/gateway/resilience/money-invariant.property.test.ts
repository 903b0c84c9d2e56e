import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ChargeRequest, ChargeResult } from '../../../../gateway/clients/index.js';
import { createRouter, type RouterSettings } from '../../../../gateway/resilience/index.js';
import { chargedThen500, declined, instant, ok, refused, timedOut, unavailable } from './scripted-client.js';

/**
 * The money invariant of routing, for any sequence of provider answers: once a call may have
 * charged (succeeded, or an unknown outcome), no later call of that payment goes to another
 * provider or carries another key. Checked with fast-check over random answer scripts, three
 * channels, random breaker and retry settings; the failoverOnUnknown regression is the negative
 * control — fast-check must find a counterexample against it.
 */
const ANSWERS: readonly ChargeResult[] = [ok, refused, timedOut, chargedThen500, declined, unavailable, { outcome: 'failed', errorCode: 'rate_limited', providerStatus: 429 }, { outcome: 'pending', providerCode: 'RedirectShopper', providerStatus: 200 }];
/** Only a failed answer certainly took no money; succeeded, unknown and waiting-for-the-shopper all may. */
const mayHaveCharged = (r: ChargeResult): boolean => r.outcome !== 'failed';

interface Call {
  provider: string;
  req: ChargeRequest;
  result: ChargeResult;
}

async function violations(settings: RouterSettings, scripts: number[][], payments: number): Promise<string[]> {
  const log: Call[][] = [];
  const cursor = new Map<string, number>();
  const names = ['a', 'b', 'c'];
  const clients = new Map(
    names.map((name, i) => [
      name,
      {
        provider: name,
        async charge(req: ChargeRequest) {
          const n = cursor.get(name) ?? 0;
          cursor.set(name, n + 1);
          const script = scripts[i]!;
          const result = ANSWERS[script[n % script.length]!]!;
          log[log.length - 1]!.push({ provider: name, req, result });
          return result;
        },
      },
    ]),
  );
  const router = createRouter({ ...settings, routes: { pm_card_visa: names } }, clients, instant);
  const found: string[] = [];
  for (let p = 0; p < payments; p++) {
    log.push([]);
    const routed = await router.charge({ orderId: `o${p}`, amount: 100, currency: 'eur', paymentMethod: 'pm_card_visa', providerKey: `k${p}` }, 'a');
    const calls = log[log.length - 1]!;
    const first = calls.findIndex((c) => mayHaveCharged(c.result));
    if (first >= 0) {
      for (const later of calls.slice(first + 1)) {
        if (later.provider !== calls[first]!.provider) found.push(`o${p}: ${calls[first]!.provider} may have charged (${JSON.stringify(calls[first]!.result)}), then ${later.provider} was called`);
      }
      if (routed.provider !== calls[first]!.provider) found.push(`o${p}: answered by ${routed.provider} though ${calls[first]!.provider} may have charged`);
    }
    for (const c of calls) if (c.req.providerKey !== `k${p}`) found.push(`o${p}: ${c.provider} called with key ${c.req.providerKey}`);
  }
  return found;
}

const scripts = fc.array(fc.array(fc.integer({ min: 0, max: ANSWERS.length - 1 }), { minLength: 1, maxLength: 6 }), { minLength: 3, maxLength: 3 });
const settings = fc.record({
  breaker: fc.record({ failureThreshold: fc.integer({ min: 1, max: 4 }), halfOpenAfterMs: fc.constant(60_000) }),
  retry: fc.record({ maxAttempts: fc.integer({ min: 1, max: 3 }), budgetMinRetries: fc.integer({ min: 0, max: 5 }) }),
});

describe('routing never charges an order at two providers (property)', () => {
  it('holds for any answers, breaker and retry settings', async () => {
    await fc.assert(
      fc.asyncProperty(scripts, settings, async (s, cfg) => {
        expect(await violations(cfg, s, 6)).toEqual([]);
      }),
      { numRuns: 200, seed: 4242 },
    );
  });

  it('negative control: with failoverOnUnknown a counterexample exists and is found', async () => {
    const result = await fc.check(
      fc.asyncProperty(scripts, settings, async (s, cfg) => (await violations({ ...cfg, regression: { failoverOnUnknown: true } }, s, 6)).length === 0),
      { numRuns: 200, seed: 4242 },
    );
    expect(result.failed).toBe(true);
  });

  it('negative control: with retryWithNewKey a call under another key is found', async () => {
    const result = await fc.check(
      fc.asyncProperty(scripts, settings, async (s, cfg) => (await violations({ ...cfg, regression: { retryWithNewKey: true } }, s, 6)).length === 0),
      { numRuns: 200, seed: 4242 },
    );
    expect(result.failed).toBe(true);
  });
});
