import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { DEFAULT_JUDGE_CONFIG, parseJudgeConfig, parseJudgeConfigText } from '../../../src/analysis/index.js';

const doc = (name: string): string => readFileSync(new URL(`../../../docs/${name}`, import.meta.url), 'utf8');

describe('docs/canary.md and the example manifests', () => {
  it('shows the default config exactly as the judge applies it', () => {
    const block = /## Configuration[\s\S]*?```yaml\n([\s\S]*?)```/.exec(doc('canary.md'))?.[1];
    expect(block).toBeDefined();
    expect(parseJudgeConfigText(block!, 'docs/canary.md')).toEqual(parseJudgeConfig(DEFAULT_JUDGE_CONFIG));
  });

  it.each(['argo-rollouts-analysis-template.yaml', 'flagger-canary.yaml'])('%s is valid YAML', (name) => {
    const docs = parseAllDocuments(doc(name));
    for (const d of docs) expect(d.errors).toEqual([]);
    expect(docs.length).toBeGreaterThan(0);
  });

  it('points the Argo template at $.verdict with success on "pass"', () => {
    const template = parseAllDocuments(doc('argo-rollouts-analysis-template.yaml'))[0]!.toJSON();
    const metric = template.spec.metrics[0];
    expect(metric.provider.web.jsonPath).toBe('{$.verdict}');
    expect(metric.successCondition).toBe('result == "pass"');
    expect(metric.provider.web.url).toMatch(/\/judge$/);
  });
});
