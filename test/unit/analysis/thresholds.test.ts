import { describe, expect, it } from 'vitest';
import { ThresholdSet, checkThresholds, holds, parseExpression, parseSelector, type PaymentEvent, type ThresholdsInput } from '../../../src/analysis/index.js';

const event = (over: Partial<PaymentEvent>): PaymentEvent => ({
  t: 0,
  variant: 'baseline',
  provider: 'stripe',
  outcome: 'succeeded',
  latencyMs: 10,
  status: 201,
  orderId: 'o',
  idempotencyKey: 'k',
  ...over,
});

function setOf(input: ThresholdsInput, steps?: readonly string[]): ThresholdSet {
  const { thresholds, problems } = checkThresholds(input, steps ? new Set(steps) : undefined);
  expect(problems).toEqual([]);
  return new ThresholdSet(thresholds);
}

describe('threshold expressions in k6 syntax', () => {
  it.each([
    ['rate>=0.97', 'rate', '>=', 0.97],
    ['p(99)<800', 'p', '<', 800],
    ['p(99.9) < 1500', 'p', '<', 1500],
    ['  avg <= 200 ', 'avg', '<=', 200],
    ['count==0', 'count', '==', 0],
    ['med!=3', 'med', '!=', 3],
    ['max===5', 'max', '===', 5],
    ['min>1e2', 'min', '>', 100],
    ['value>-1', 'value', '>', -1],
  ])('parses %j', (source, kind, operator, value) => {
    const expr = parseExpression(source);
    expect(typeof expr).toBe('object');
    if (typeof expr === 'string') return;
    expect(expr.aggregation.kind).toBe(kind);
    expect(expr.operator).toBe(operator);
    expect(expr.value).toBe(value);
  });

  it.each(['rate', 'rate>>1', 'p(101)<5', 'p()<5', 'mean<5', 'rate>=', '>=0.9', 'rate>=0.9 and more'])('refuses %j with a message saying how to write one', (source) => {
    expect(typeof parseExpression(source)).toBe('string');
  });

  it.each([
    ['rate>=0.97', 0.97, true],
    ['rate>=0.97', 0.969, false],
    ['p(99)<800', 800, false],
    ['p(99)<800', 799.9, true],
    ['count==0', 0, true],
    ['count==0', 1, false],
    ['count!=0', 1, true],
    ['avg<=200', 200, true],
    ['avg>200', 200, false],
  ])('%j holds for %d: %s', (source, measured, expected) => {
    const expr = parseExpression(source);
    if (typeof expr === 'string') throw new Error(expr);
    expect(holds(expr, measured)).toBe(expected);
  });
});

describe('metric selectors', () => {
  it('reads a metric with several tags', () => {
    expect(parseSelector('latency{provider:alipay, variant:canary}')).toMatchObject({ metric: 'latency', tags: { provider: 'alipay', variant: 'canary' } });
    expect(parseSelector('success_rate')).toMatchObject({ metric: 'success_rate', tags: {} });
  });

  it.each(['Latency', 'latency{provider}', 'latency{provider:a,provider:b}', 'latency{provider:alipay', 'a b'])('refuses %j', (source) => {
    expect(typeof parseSelector(source)).toBe('string');
  });
});

describe('checking a thresholds object', () => {
  it('reports every problem at once, each with its path', () => {
    const { problems } = checkThresholds(
      {
        'succes_rate': ['rate>0.9'],
        'latency{colour:red}': ['p(99)<800'],
        'success_rate{variant:baseline}': ['p(99)<800', 'rate>0.9', { threshold: 'rate>0.9', during: 'nope' }, { threshold: 'rate>0.9', during: 'a', after: 'a' }],
        error_share: ['rate<0.02'],
        dropped_iterations: [{ threshold: 'count==0', during: 'a' }],
      },
      new Set(['a']),
    );
    expect(problems.map((p) => p.path)).toEqual([['succes_rate'], ['latency{colour:red}'], ['success_rate{variant:baseline}', 0], ['success_rate{variant:baseline}', 2, 'during'], ['success_rate{variant:baseline}', 3], ['error_share'], ['dropped_iterations', 0, 'during']]);
    expect(problems[2]!.message).toContain('takes rate, not p(99)');
    expect(problems[3]!.message).toContain('no timeline step has id "nope"');
  });
});

describe('evaluating thresholds over a run', () => {
  it('measures success rate, error share and latency per tag, with measured value and threshold', () => {
    const set = setOf({
      'success_rate{variant:baseline}': ['rate>=0.75'],
      'success_rate{variant:canary}': ['rate>=0.75'],
      'error_share{code:provider_error}': ['rate<0.2'],
      'latency{provider:alipay}': ['p(50)<101', 'max<150'],
      requests: ['count==8', 'rate>=2'],
    });
    const events: PaymentEvent[] = [
      event({}),
      event({}),
      event({}),
      event({ outcome: 'failed', errorCode: 'card_declined' }),
      event({ variant: 'canary', outcome: 'failed', errorCode: 'provider_error' }),
      event({ variant: 'canary' }),
      event({ provider: 'alipay', latencyMs: 100 }),
      event({ provider: 'alipay', latencyMs: 200 }),
    ];
    for (const e of events) set.record(e);
    const results = set.evaluate({ steps: {}, durationS: 4, counters: {} });
    expect(results.map((r) => [r.name, r.passed, r.measured])).toEqual([
      ['success_rate{variant:baseline} rate>=0.75', true, 0.833333],
      ['success_rate{variant:canary} rate>=0.75', false, 0.5],
      ['error_share{code:provider_error} rate<0.2', true, 0.125],
      // HDR keeps 3 significant digits: 100 ms reads back within 0.1 %.
      ['latency{provider:alipay} p(50)<101', true, 100.031],
      ['latency{provider:alipay} max<150', false, 200],
      ['requests count==8', true, 8],
      ['requests rate>=2', true, 2],
    ]);
    expect(results[1]!.threshold).toBe(0.75);
  });

  it('judges a windowed threshold on the payments scheduled during (and after) the fault step only', () => {
    const set = setOf({ success_rate: ['rate>=0.9', { threshold: 'rate>=0.9', during: 'outage' }, { threshold: 'rate>=0.9', after: 'outage' }] }, ['outage']);
    // 0–9 s all succeed; 10–19 s (the outage) half fail; 20–29 s all succeed again.
    for (let s = 0; s < 30; s++) for (let i = 0; i < 10; i++) set.record(event({ t: s * 1000 + i, outcome: s >= 10 && s < 20 && i % 2 === 0 ? 'failed' : 'succeeded' }));
    const [whole, during, after] = set.evaluate({ steps: { outage: { startS: 10, endS: 20 } }, durationS: 30, counters: {} });
    expect(whole).toMatchObject({ passed: false, measured: Math.round((250 / 300) * 1e6) / 1e6 });
    expect(during).toMatchObject({ name: 'success_rate rate>=0.9 during outage', passed: false, measured: 0.5 });
    expect(after).toMatchObject({ name: 'success_rate rate>=0.9 after outage', passed: true, measured: 1 });
  });

  it('fails a threshold with nothing to judge, and one whose step never ran, saying why', () => {
    const set = setOf({ 'latency{provider:paypal}': ['p(99)<800'], success_rate: [{ threshold: 'rate>0.5', during: 'later' }] }, ['later']);
    set.record(event({}));
    const [empty, neverRan] = set.evaluate({ steps: {}, durationS: 1, counters: {} });
    expect(empty).toMatchObject({ passed: false, measured: null });
    expect(empty!.reason).toContain('no payments');
    expect(neverRan).toMatchObject({ passed: false, measured: null });
    expect(neverRan!.reason).toContain('never ran');
  });

  it('takes run-wide counters such as dropped_iterations from the driver', () => {
    const set = setOf({ dropped_iterations: ['count==0'] });
    expect(set.evaluate({ steps: {}, durationS: 1, counters: { dropped_iterations: 0 } })[0]).toMatchObject({ passed: true, measured: 0 });
    expect(set.evaluate({ steps: {}, durationS: 1, counters: { dropped_iterations: 3 } })[0]).toMatchObject({ passed: false, measured: 3 });
  });
});
