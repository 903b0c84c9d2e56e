import { describe, expect, it } from 'vitest';
import { EventsDigester, esc, faultMarkArea, faultStories, jsonForScript, renderReport, renderSuiteIndex, reportCharts, verdictOf } from '../../../src/report/index.js';
import { reportFixture } from '../../helpers/report-fixture.js';

describe('report building blocks', () => {
  it('escapes markup and keeps inlined JSON from closing its script element', () => {
    expect(esc('<a href="x">&\'')).toBe('&lt;a href=&quot;x&quot;&gt;&amp;&#39;');
    const s = jsonForScript({ m: '</script><!-- \u2028' });
    expect(s).not.toMatch(/<|>|\u2028/);
    expect(JSON.parse(s)).toEqual({ m: '</script><!-- \u2028' });
  });

  it('shades one band per applied fault step, from when it took effect to when it was undone', () => {
    const { results } = reportFixture();
    expect(faultMarkArea(results.faults).data).toEqual([
      [{ name: 'down stripe', xAxis: 5 }, { xAxis: 10 }],
      [{ name: 'latency adyen', xAxis: 12 }, { xAxis: 15 }],
    ]);
  });

  it('digests events in bounded tables and counts unreadable lines instead of failing', () => {
    const f = reportFixture();
    const d = new EventsDigester(f.results.faults);
    for (const e of f.events) d.line(JSON.stringify(e));
    d.line('{"type":"payment","t":1');
    const digest = d.digest();
    expect(digest.unreadableLines).toBe(1);
    expect(digest.payments).toBe(400);
    expect(digest.slowest).toHaveLength(20);
    expect(digest.slowest[0]!.latencyMs).toBeGreaterThanOrEqual(digest.slowest[19]!.latencyMs);
    expect(digest.failedTotal).toBe(f.results.variants.baseline!.failed + f.results.variants.canary!.failed);
    expect(digest.failed.length).toBeLessThanOrEqual(50);
  });

  it('tells the failover story: detect, switch, switch back, each timed from the fault', () => {
    const f = reportFixture();
    const d = new EventsDigester(f.results.faults);
    for (const e of f.events) d.event(e);
    const [down, slow] = faultStories(f.results, d.digest());
    expect(down).toMatchObject({ firstFailureS: 0, detectS: 1, switchS: 1, switchBackS: 0 });
    expect(down!.steps.map((s) => s.atS)).toEqual([...down!.steps.map((s) => s.atS)].sort((a, b) => (a ?? Infinity) - (b ?? Infinity)));
    expect(slow!.switchS).toBeUndefined();
    // A gateway that never fails over shows no switch rather than an invented one.
    const plain = new EventsDigester(f.results.faults);
    for (const e of f.events) plain.event({ ...e, failoverFrom: undefined });
    expect(faultStories(f.results, plain.digest())[0]!.steps.map((s) => s.what)).toContain('no payment was failed over away from stripe (the gateway did not report switching)');
    expect(faultStories(f.results, undefined)[0]!.steps.at(-1)!.what).toMatch(/events.jsonl was not available/);
  });

  it('orders the verdict as the exit code does', () => {
    const { results } = reportFixture();
    expect(verdictOf({ ...results, status: 'interrupted' }).word).toBe('INTERRUPTED');
    expect(verdictOf({ ...results, status: 'failed' }).word).toBe('HARNESS FAILED');
    expect(verdictOf(results).word).toBe('FAILED');
    const clean = { ...results, assertions: [], invariants: [] };
    expect(verdictOf({ ...clean, canary: { ...results.canary!, verdict: 'inconclusive' } }).word).toBe('CANARY INCONCLUSIVE');
    expect(verdictOf({ ...clean, canary: { ...results.canary!, verdict: 'fail' } }).tone).toBe('bad');
  });

  it('draws the time charts only when results have a timeline, and inlines the chart library once', () => {
    const { results } = reportFixture();
    expect(reportCharts({ ...results, timeline: [] }, undefined).map((c) => c.id)).toEqual(['error-shares', 'variants']);
    const html = renderReport(results);
    expect(html.match(/<script>/g)).toHaveLength(2); // the library and the drawing code; the data is a JSON script
    // Outside the scripts, nothing points anywhere but at the page's own sections.
    const markup = html.replace(/<script[^>]*>[\s\S]*?<\/script>/g, '');
    expect(markup.match(/\s(src|href)="(?!#)[^"]*"/gi) ?? []).toEqual([]);
    expect(html).toContain("default-src 'none'");
  });

  it('lists every scenario of a suite with its verdict and a relative link to its report', () => {
    const { results } = reportFixture();
    const html = renderSuiteIndex(
      [
        { dir: '/out/suite/failover', results },
        { dir: '/out/suite/smoke', results: { ...results, scenario: 'smoke', assertions: [], invariants: [], canary: undefined } as typeof results },
        { dir: '/out/suite/broken', error: 'PAYCHAOS_ERR_RESULTS_INVALID: not JSON' },
        { dir: '/out/suite/later', word: 'SKIPPED', error: 'the suite was interrupted before this scenario started' },
      ],
      '/out/suite',
    );
    expect(html).toContain('<span class="badge bad">UNREADABLE</span></td><td>broken</td>');
    expect(html).toContain('<span class="badge bad">SKIPPED</span></td><td>later</td><td>the suite was interrupted before this scenario started</td>');
    expect(html).toContain('<a href="failover/report.html">failover</a>');
    expect(html).toContain('<a href="smoke/report.html">smoke</a>');
    expect(html).toContain('PAYCHAOS_ERR_RESULTS_INVALID: not JSON');
    expect(html).toContain('data-verdict="FAILED"');
    expect(html).toContain('3 of 4 scenario(s) did not hold');
    expect(html).not.toContain('<script>');
  });
});
