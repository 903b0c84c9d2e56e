import { describe, expect, it } from 'vitest';
import { isPaychaosError, type PaychaosError } from '../../../src/kernel/index.js';
import { FAULT_LAYERS, FAULT_STEPS, parseTimeline } from '../../../src/chaos/index.js';

/** Each step type's parameters, through the timeline schema: what is accepted, what is refused and where. */
const problemsOf = (input: unknown): string[] => {
  try {
    parseTimeline(input);
  } catch (err) {
    expect(isPaychaosError(err, 'PAYCHAOS_ERR_CHAOS_BAD_TIMELINE')).toBe(true);
    return (err as PaychaosError).details.problems as string[];
  }
  throw new Error('expected the timeline to be refused');
};

describe('the fault step registry', () => {
  it('holds every step the four layers name, each in its layer', () => {
    const byLayer = Object.fromEntries(FAULT_LAYERS.map((l) => [l, [...FAULT_STEPS.values()].filter((s) => s.layer === l).map((s) => s.type)]));
    expect(byLayer).toEqual({
      network: ['latency', 'bandwidth', 'slicer', 'timeout', 'reset_peer', 'limit_data', 'down'],
      provider: ['behaviour', 'provider-latency', 'provider-errors', 'rate-limit', 'maintenance', 'charged-then-error', 'webhook', 'settlement-discrepancy', 'disputes'],
      client: ['duplicate-submit', 'double-click', 'retry-storm', 'abandon-resume'],
      process: ['kill'],
    });
  });
});

describe('step parameters', () => {
  it.each<[string, Record<string, unknown>, Record<string, unknown>]>([
    ['latency', { latencyMs: 300 }, { latencyMs: 300, jitterMs: 0, direction: 'downstream', toxicity: 1 }],
    ['bandwidth', { rateKBps: 30, direction: 'both' }, { rateKBps: 30, direction: 'both', toxicity: 1 }],
    ['slicer', { averageSize: 64 }, { averageSize: 64, sizeVariation: 0, delayUs: 0, direction: 'downstream', toxicity: 1 }],
    ['timeout', { timeoutMs: 0, toxicity: 0.5 }, { timeoutMs: 0, direction: 'downstream', toxicity: 0.5 }],
    ['reset_peer', {}, { timeoutMs: 0, direction: 'downstream', toxicity: 1 }],
    ['limit_data', { bytes: 100 }, { bytes: 100, direction: 'downstream', toxicity: 1 }],
    ['down', {}, {}],
    ['behaviour', { profile: { serverErrors: { rate: 0.2 } } }, { profile: { serverErrors: { rate: 0.2 } } }],
    ['provider-latency', { median: '800ms', max: '5s' }, { median: 800, max: 5000 }],
    ['provider-latency', { fixed: 2 }, { fixed: 2000 }],
    ['provider-errors', {}, { rate: 1, status: 500 }],
    ['rate-limit', { perSecond: 50 }, { perSecond: 50, retryAfter: 1000 }],
    ['maintenance', {}, {}],
    ['charged-then-error', { rate: 0.1, status: 502 }, { rate: 0.1, status: 502 }],
    ['webhook', { drop: 0.5, reorder: { rate: 0.2, window: '10s' } }, { drop: 0.5, reorder: { rate: 0.2, window: 10_000 } }],
    ['settlement-discrepancy', { missingLine: 0.1, late: { share: 0.2, by: '48h' } }, { missingLine: 0.1, late: { share: 0.2, by: 172_800_000 } }],
    ['settlement-discrepancy', { feeOff: { share: 0.5, byMinor: 5 } }, { feeOff: { share: 0.5, byMinor: 5 } }],
    ['disputes', { rate: 0.1, outcome: 'won' }, { rate: 0.1, outcome: 'won' }],
    ['duplicate-submit', { share: 0.3, key: 'new', after: '500ms' }, { share: 0.3, key: 'new', after: 500 }],
    ['double-click', { share: 0.1, clicks: 5 }, { share: 0.1, clicks: 5 }],
    ['retry-storm', { share: 0.5 }, { share: 0.5, backoff: 0 }],
    ['abandon-resume', { share: 0.2, after: '3s' }, { share: 0.2, after: 3000 }],
    ['kill', { restartAfter: '5s' }, { signal: 'SIGKILL', restartAfter: 5000 }],
  ])('%s accepts %j, defaults filled: %j', (type, params, expected) => {
    const [step] = parseTimeline([{ at: '1s', target: 't', type, ...params }]);
    expect(step!.params).toEqual(expected);
  });

  it.each<[string, Record<string, unknown>, string[]]>([
    ['latency', { latencyMs: -1 }, ['timeline[0].latencyMs: latencyMs must be 0 or more']],
    ['latency', { latencyMs: 1, lag: 3 }, ['timeline[0]: unknown key "lag"']],
    ['bandwidth', { rateKBps: 0 }, ['timeline[0].rateKBps: rateKBps must be more than 0 (0 would stop all data)']],
    ['slicer', { averageSize: 10, sizeVariation: 11 }, ['timeline[0].sizeVariation: sizeVariation must be at most averageSize (a larger one can crash Toxiproxy 2.12)']],
    ['timeout', { timeoutMs: 1, direction: 'sideways' }, ['timeline[0].direction']],
    ['down', { latencyMs: 3 }, ['timeline[0]: unknown key "latencyMs"']],
    ['behaviour', { profile: { outages: 1 } }, ['timeline[0].profile: unknown key "outages"', 'timeline[0].profile: give at least one of']],
    ['behaviour', { profile: {} }, ['timeline[0].profile: give at least one of outcomes, chain, latency, serverErrors, bursts, rateLimit, maintenance, idempotencyOutage, commitThenError, webhooks, settlement']],
    ['provider-latency', { fixed: '1s', median: '1s' }, ['timeline[0]: give exactly one of `fixed`, `min` with `max`, or `median`']],
    ['provider-latency', { min: '2s', max: '1s' }, ['timeline[0].max: max must be >= min']],
    ['provider-latency', { median: 'soon' }, ['timeline[0].median: expected a duration like "250ms", "30s" or "1m30s" (a bare number is seconds), got "soon"']],
    ['provider-errors', { rate: 1.5 }, ['timeline[0].rate: expected a number between 0 and 1']],
    ['provider-errors', { status: 418 }, ['timeline[0].status: expected one of 500, 502, 503, 504']],
    ['rate-limit', { retryAfter: '2s' }, ['timeline[0]: give perSecond, rate, or both']],
    ['maintenance', { after: '1s' }, ['timeline[0]: unknown key "after"']],
    ['webhook', {}, ['timeline[0]: give at least one of delay, duplicate, reorder, drop, badSignature']],
    ['webhook', { reorder: { rate: 0.1 } }, ['timeline[0].reorder.window']],
    ['settlement-discrepancy', {}, ['timeline[0]: give at least one of missingLine, duplicateLine, amountOff, feeOff, late']],
    ['disputes', { rate: 0.1, outcome: 'maybe' }, ['timeline[0].outcome: Invalid option: expected one of "lost"|"won"|"open"']],
    ['settlement-discrepancy', { amountOff: { share: 1, byMinor: 0 } }, ['timeline[0].amountOff.byMinor: expected a whole number of minor units, not 0']],
    ['settlement-discrepancy', { late: { share: 1, by: 0 } }, ['timeline[0].late.by: expected a duration above 0']],
    ['duplicate-submit', { share: 0.1, key: 'other' }, ['timeline[0].key']],
    ['duplicate-submit', {}, ['timeline[0].share']],
    ['double-click', { share: 0.1, clicks: 1 }, ['timeline[0].clicks: clicks must be 2 or more']],
    ['kill', { signal: 'SIGSTOP' }, ['timeline[0].signal']],
  ])('%s refuses %j, naming %j', (type, params, expected) => {
    const problems = problemsOf([{ at: '1s', target: 't', type, ...params }]);
    expect(problems).toHaveLength(expected.length);
    expected.forEach((e, i) => expect(problems[i]!.startsWith(e)).toBe(true));
  });
});
