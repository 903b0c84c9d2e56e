import { describe, expect, it } from 'vitest';
import { judgeCanary, renderMarkdown, renderPrometheus } from '../../../src/analysis/index.js';
import { latencies, variant } from './fixtures.js';

const report = judgeCanary(
  variant(2000, { card_declined: 60, insufficient_funds: 30, provider_error: 10 }, latencies(2000, 40, 1)),
  variant(2000, { card_declined: 25, insufficient_funds: 30, provider_error: 45 }, latencies(2000, 40, 2)),
);

describe('rendering a judgement', () => {
  it('writes Markdown with the verdict, the reasons and one row per metric', () => {
    const md = renderMarkdown(report);
    expect(md).toMatch(/^## Canary verdict: \*\*FAIL\*\* \(score 70;/);
    expect(md).toMatch(/\| error-codes \| errors \| ❌ high \|/);
    expect(md).toMatch(/moved: provider_error, card_declined/);
    expect(md.split('\n').filter((l) => /^\| (error-rate|error-codes|latency-p95) \|/.test(l))).toHaveLength(3);
  });

  it('exports the measurements as Prometheus text with every family declared once and contiguous', () => {
    const text = renderPrometheus(report, { rollout: 'checkout' });
    expect(text).toContain('paychaos_canary_score{rollout="checkout"} 70');
    expect(text).toContain('paychaos_canary_verdict{rollout="checkout",verdict="fail"} 1');
    expect(text).toContain('paychaos_canary_metric_classification{rollout="checkout",metric="error-codes",classification="high"} 1');
    expect(text).toMatch(/paychaos_canary_metric_value\{rollout="checkout",metric="error-rate",variant="canary"\} 0\.05\n/);
    expect(text).toMatch(/paychaos_canary_metric_effect\{rollout="checkout",metric="latency-p95",measure="ratio"\} [\d.]+\n/);
    // Exposition format: a family's samples directly follow its TYPE line, and no family repeats.
    const families: string[] = [];
    let current = '';
    for (const line of text.trim().split('\n')) {
      if (line.startsWith('# TYPE ')) {
        current = line.split(' ')[2]!;
        families.push(current);
      } else if (!line.startsWith('#')) {
        expect(line.startsWith(current), line).toBe(true);
        expect(line).toMatch(/^[a-z_]+(\{[^}]*\})? -?[\d.e+-]+$/);
      }
    }
    expect(new Set(families).size).toBe(families.length);
  });
});
