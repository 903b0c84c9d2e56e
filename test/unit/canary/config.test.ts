import { describe, expect, it } from 'vitest';
import { DEFAULT_JUDGE_CONFIG, parseJudgeConfig, parseJudgeConfigText } from '../../../src/analysis/index.js';
import { isPaychaosError, type PaychaosError } from '../../../src/kernel/index.js';

function problemsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (err) {
    expect(isPaychaosError(err, 'PAYCHAOS_ERR_JUDGE_BAD_CONFIG')).toBe(true);
    return (err as PaychaosError).details.problems as string[];
  }
  throw new Error('expected PAYCHAOS_ERR_JUDGE_BAD_CONFIG');
}

describe('judge config', () => {
  it('fills in the documented defaults and freezes the result', () => {
    const c = parseJudgeConfig({ metrics: [{ name: 'errors', kind: 'proportion' }, { name: 'p95', kind: 'latency' }, { name: 'codes', kind: 'distribution' }] });
    expect(c.alpha).toBe(0.05);
    expect(c.thresholds).toEqual({ pass: 95, marginal: 75 });
    expect(c.prometheus).toEqual({ window: '10m', variants: { baseline: 'baseline', canary: 'canary' }, timeoutMs: 10_000 });
    expect(c.metrics[0]).toEqual({ name: 'errors', kind: 'proportion', group: 'default', critical: false, mustHaveData: false, count: 'failed', direction: 'increase', tolerancePp: 0.5, minRequests: 100, test: 'auto' });
    expect(c.metrics[1]).toMatchObject({ direction: 'increase', percentile: 95, maxRatio: 1.2, minSamples: 100 });
    expect(c.metrics[2]).toMatchObject({ direction: 'either', test: 'chi-square', maxShiftPp: 10, minErrors: 20, minExpected: 5 });
    expect(Object.isFrozen(c)).toBe(true);
    expect(Object.isFrozen(c.metrics[0])).toBe(true);
  });

  it('accepts the default config', () => {
    expect(parseJudgeConfig(DEFAULT_JUDGE_CONFIG).metrics.map((m) => m.name)).toEqual(['error-rate', 'error-codes', 'latency-p95']);
  });

  it('rejects unknown keys, naming the key and where it is', () => {
    const problems = problemsOf(() => parseJudgeConfig({ metrics: [{ name: 'e', kind: 'proportion', tolerence: 1 }], thresold: 3 }));
    expect(problems).toContain('metrics[0]: Unrecognized key: "tolerence"');
    expect(problems).toContain('(root): Unrecognized key: "thresold"');
  });

  it('reports every problem at once, each with its path', () => {
    const problems = problemsOf(() =>
      parseJudgeConfig({
        alpha: 2,
        thresholds: { pass: 70, marginal: 80 },
        groups: { errors: 1 },
        metrics: [
          { name: 'e', kind: 'proportion', tolerancePp: -1 },
          { name: 'e', kind: 'latency', group: 'latency', percentile: 101 },
          { name: 'd', kind: 'distribution', direction: 'increase' },
        ],
      }),
    );
    const paths = problems.map((p) => p.split(':')[0]);
    expect(paths).toEqual(expect.arrayContaining(['alpha', 'metrics[0].tolerancePp', 'metrics[1].percentile', 'metrics[2].direction']));
    expect(problems.length).toBeGreaterThanOrEqual(4);
  });

  it('checks cross-field rules: thresholds order, unique names, listed groups', () => {
    const problems = problemsOf(() =>
      parseJudgeConfig({
        thresholds: { pass: 70, marginal: 80 },
        groups: { errors: 1 },
        metrics: [
          { name: 'e', kind: 'proportion', group: 'errors' },
          { name: 'e', kind: 'latency', group: 'latency' },
        ],
      }),
    );
    expect(problems).toEqual([
      'thresholds.marginal: must not exceed thresholds.pass (70)',
      'metrics[1].name: duplicate metric name "e"',
      'metrics[1].group: group "latency" is not listed in groups (errors)',
    ]);
  });

  it('rejects an unknown metric kind and an empty metric list', () => {
    expect(problemsOf(() => parseJudgeConfig({ metrics: [{ name: 'x', kind: 'ratio' }] }))[0]).toMatch(/^metrics\[0\]\.kind: /);
    expect(problemsOf(() => parseJudgeConfig({ metrics: [] }))[0]).toMatch(/^metrics: /);
  });

  it('reads YAML and JSON alike', () => {
    const yaml = parseJudgeConfigText('alpha: 0.01\nmetrics:\n  - name: errors\n    kind: proportion\n    critical: true\n');
    const json = parseJudgeConfigText('{"alpha": 0.01, "metrics": [{"name": "errors", "kind": "proportion", "critical": true}]}');
    expect(yaml).toEqual(json);
    expect(yaml.metrics[0]!.critical).toBe(true);
  });

  it('reports a YAML syntax error as a bad config', () => {
    expect(problemsOrMessage(() => parseJudgeConfigText('metrics: [\n', 'judge.yaml'))).toMatch(/judge\.yaml is not valid YAML or JSON/);
  });
});

function problemsOrMessage(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(isPaychaosError(err, 'PAYCHAOS_ERR_JUDGE_BAD_CONFIG')).toBe(true);
    return (err as Error).message;
  }
  throw new Error('expected an error');
}
