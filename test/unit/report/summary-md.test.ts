import { describe, expect, it } from 'vitest';
import { EventsDigester, renderSummaryMarkdown, verdictOf } from '../../../src/report/index.js';
import { HOSTILE, reportFixture } from '../../helpers/report-fixture.js';

const digestOf = (f: ReturnType<typeof reportFixture>) => {
  const d = new EventsDigester(f.results.faults);
  for (const e of f.events) d.line(JSON.stringify(e));
  return d.digest();
};

describe('summary.md', () => {
  const fixture = reportFixture();
  const { results } = fixture;
  const md = renderSummaryMarkdown(results, { digest: digestOf(fixture), reportLink: 'report.html' });

  it('opens with the verdict and why', () => {
    expect(md.split('\n')[0]).toBe('## paychaos failover: FAILED');
    expect(md).toContain('**Why:** 1 money invariant(s) violated and 1 assertion(s) failed.');
    expect(md).toContain('[report](report.html)');
  });

  it('lists each failed assertion with measured vs threshold, and not the ones that held', () => {
    expect(md).toContain('| baseline.successRate >= 0.99 | 0.9321 | 0.99 |');
    expect(md).not.toContain('| driver_healthy |');
  });

  it('carries the key figures of each variant and provider, as results.json has them', () => {
    const b = results.variants.baseline!;
    expect(md).toContain(`| **baseline** | ${b.requests} | ${(b.successRate * 100).toFixed(2)}% | ${b.failed} | ${b.pending} |`);
    for (const [p, s] of Object.entries(b.byProvider)) expect(md).toContain(`| baseline · ${p} | ${s.requests} | ${(s.successRate * 100).toFixed(2)}% | ${s.failed} |`);
    const c = results.variants.canary!;
    expect(md).toContain(`| **canary** | ${c.requests} | ${(c.successRate * 100).toFixed(2)}% |`);
  });

  it('names each violated invariant, its order, ledger entries and trace id, with table-breaking characters escaped', () => {
    expect(md).toContain('| no-double-charge | **VIOLATED** | 380 orders | 1 |');
    expect(md).toContain(`order \`${HOSTILE.orderId}\` at stripe (pi_1, pi_2), trace \`${HOSTILE.traceId}\``);
  });

  it('times each fault window: detect, switch, switch back', () => {
    expect(md).toContain('| stripe-down | down (network) | stripe | 5–10 s | not counted | 1 s | 1 s | 0 s |');
  });

  it('gives the canary verdict with its reasons and every metric', () => {
    const c = results.canary!;
    expect(md).toContain(`### Canary: ${c.verdict.toUpperCase()}`);
    for (const r of c.reasons) expect(md).toContain(`- ${r}`);
    for (const m of c.metrics) expect(md).toContain(`| ${m.name} | ${m.classification} |`);
  });

  it('says HELD, and lists no failures, when everything held', () => {
    const held = { ...results, assertions: results.assertions.filter((a) => a.passed), invariants: results.invariants.filter((i) => i.passed) };
    const { canary: _omit, ...noCanary } = held;
    expect(verdictOf(noCanary).word).toBe('HELD');
    const text = renderSummaryMarkdown(noCanary);
    expect(text.split('\n')[0]).toBe('## paychaos failover: HELD');
    expect(text).toContain('All 1 assertion(s) held.');
    expect(text).not.toContain('### Failed assertions');
  });
});
