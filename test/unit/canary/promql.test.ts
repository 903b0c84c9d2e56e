import { describe, expect, it } from 'vitest';
import { isPrometheusDuration, parseJudgeConfig, promqlStringContent, renderQuery, variantPlaceholdersQuoted } from '../../../src/analysis/index.js';
import { judgeRequest } from '../../../src/judge/index.js';
import { isPaychaosError } from '../../../src/kernel/index.js';

const TEMPLATE = 'sum(increase(payment_requests_total{paychaos_variant="{{variant}}"}[{{window}}]))';

function thrown(f: () => unknown): unknown {
  try {
    f();
  } catch (err) {
    return err;
  }
  return undefined;
}

describe('PromQL label values', () => {
  it.each([
    ['v1.5.0', 'v1.5.0'],
    ['x"}or vector(1)#', 'x\\"}or vector(1)#'],
    ['back\\slash', 'back\\\\slash'],
    ['\\"', '\\\\\\"'],
    ['two\nlines\r', 'two\\nlines\\r'],
    ["it's `raw`", "it's `raw`"],
  ])('escapes %j as the content of a double-quoted string: %j', (value, escaped) => {
    expect(promqlStringContent(value)).toBe(escaped);
  });

  it('keeps a hostile label value inside its selector instead of changing the query', () => {
    expect(renderQuery(TEMPLATE, 'x"}or vector(1)#', '10m')).toBe('sum(increase(payment_requests_total{paychaos_variant="x\\"}or vector(1)#"}[10m]))');
  });

  it('does not expand a label value that reads {{window}}', () => {
    expect(renderQuery(TEMPLATE, '{{window}}', '5m')).toBe('sum(increase(payment_requests_total{paychaos_variant="{{window}}"}[5m]))');
  });
});

describe('Prometheus durations', () => {
  it.each(['10m', '90s', '500ms', '1h30m', '1y2w3d4h5m6s7ms', '0m5s'])('accepts %j', (d) => {
    expect(isPrometheusDuration(d)).toBe(true);
  });

  it.each(['', '10', '0s', '0m0s', '30m1h', '10m ', '1.5h', '-5m', '10M', '1m]) or vector(1', '5m"}'])('refuses %j', (d) => {
    expect(isPrometheusDuration(d)).toBe(false);
  });
});

describe('where {{variant}} may sit in a query template', () => {
  it.each([
    [TEMPLATE, true],
    ['x{job=~"{{variant}}|shadow"}', true],
    ['x{a="\\"{{variant}}"}', true],
    ['x{a="q"} # {{variant}}', false],
    ["x{paychaos_variant='{{variant}}'}", false],
    ['x{paychaos_variant=`{{variant}}`}', false],
    ['{{variant}}_requests_total', false],
    ['x{a="\\""} / y{b={{variant}}}', false],
  ])('%s → %s', (template, ok) => {
    expect(variantPlaceholdersQuoted(template)).toBe(ok);
  });

  it('refuses a config whose template puts {{variant}} where it cannot be escaped, naming the query', () => {
    const err = thrown(() =>
      parseJudgeConfig({ metrics: [{ name: 'errors', kind: 'proportion', prometheus: { events: "sum(x{v='{{variant}}'})", total: 'sum(x{v="{{variant}}"})' } }] }),
    );
    expect(isPaychaosError(err, 'PAYCHAOS_ERR_JUDGE_BAD_CONFIG')).toBe(true);
    expect((err as Error).message).toContain('metrics[0].prometheus.events: put {{variant}} inside a double-quoted string');
    expect((err as Error).message).not.toContain('prometheus.total');
  });
});

describe('a config or a request that would judge a canary against itself', () => {
  it('refuses prometheus.variants with the same label value for both sides', () => {
    const err = thrown(() => parseJudgeConfig({ metrics: [{ name: 'errors', kind: 'proportion' }], prometheus: { variants: { baseline: 'v1', canary: 'v1' } } }));
    expect(isPaychaosError(err, 'PAYCHAOS_ERR_JUDGE_BAD_CONFIG')).toBe(true);
    expect((err as Error).message).toContain('prometheus.variants.canary: must differ from prometheus.variants.baseline');
  });

  it('refuses a window Prometheus would not take, e.g. units out of order', () => {
    const err = thrown(() => parseJudgeConfig({ metrics: [{ name: 'errors', kind: 'proportion' }], prometheus: { window: '30m1h' } }));
    expect((err as Error).message).toContain('prometheus.window: expected a Prometheus duration');
  });

  it('answers a request whose baseline and canary are equal with PAYCHAOS_ERR_JUDGE_BAD_REQUEST', () => {
    const err = thrown(() => judgeRequest({ baseline: 'v1', canary: 'v1' }));
    expect(isPaychaosError(err, 'PAYCHAOS_ERR_JUDGE_BAD_REQUEST')).toBe(true);
    expect((err as Error).message).toContain('baseline, canary: both are "v1"');
  });

  it('takes any label value, hostile ones included: they are escaped where the query is built', () => {
    expect(judgeRequest({ baseline: 'x"}or vector(1)#', canary: 'v2', window: '1h30m' })).toEqual({ baseline: 'x"}or vector(1)#', canary: 'v2', window: '1h30m' });
  });

  it('refuses a window that would break out of its range selector', () => {
    const err = thrown(() => judgeRequest({ window: '1m]) or vector(1' }));
    expect(isPaychaosError(err, 'PAYCHAOS_ERR_JUDGE_BAD_REQUEST')).toBe(true);
  });
});
