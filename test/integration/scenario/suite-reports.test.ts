import { mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatSummary, HIT_NOTHING } from '../../../src/report/index.js';
import { loadScenarios, runSuite } from '../../../src/scenario/index.js';

/**
 * What `paychaos run` leaves for people: report.html and summary.md per scenario, a suite's
 * index.html linking each report with its verdict, and a failing scenario's junit failure naming
 * its report. Two short real runs (the reference stack, 2 s of load each), one built to fail.
 */
async function scenario(dir: string, name: string, p95Below: string): Promise<string> {
  const path = join(dir, `${name}.yaml`);
  await writeFile(path, [`name: ${name}`, 'load: { executor: constant-arrival-rate, rate: 10, duration: 2s }', 'expect:', '  thresholds:', `    latency: ['p(95)<${p95Below}']`, ''].join('\n'));
  return path;
}

const exists = (path: string) => stat(path).then(() => true, () => false);

describe('run writes the reports', () => {
  it('a suite: report.html and summary.md per scenario, index.html with each verdict, junit failures naming report.html', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'paychaos-suite-reports-'));
    const held = await scenario(dir, 'held', '5000');
    // No answer comes back in a thousandth of a millisecond: this scenario fails its threshold.
    const broke = await scenario(dir, 'broke', '0.001');
    const out = join(dir, 'out');
    const junitCopy = join(dir, 'ci', 'junit.xml');
    const outcome = await runSuite(await loadScenarios([held, broke]), { paychaosVersion: '0.0.0-test', outDir: out, junitPath: junitCopy });
    expect(outcome.entries.map((e) => [e.name, e.exitCode])).toEqual([['held', 0], ['broke', 1]]);
    for (const name of ['held', 'broke']) {
      const entry = outcome.entries.find((e) => e.name === name)!;
      expect(entry.reportError).toBeUndefined();
      expect(entry.reportPath).toBe(join(out, name, 'report.html'));
      const html = await readFile(join(out, name, 'report.html'), 'utf8');
      expect(html).toContain(`data-verdict="${name === 'held' ? 'HELD' : 'FAILED'}"`);
      const md = await readFile(join(out, name, 'summary.md'), 'utf8');
      expect(md).toMatch(new RegExp(`^## paychaos ${name}: ${name === 'held' ? 'HELD' : 'FAILED'}`));
    }
    expect(outcome.indexPath).toBe(join(out, 'index.html'));
    const index = await readFile(outcome.indexPath!, 'utf8');
    expect(index).toMatch(/<span class="badge ok">HELD<\/span><\/td><td><a href="held\/report.html">held<\/a>/);
    expect(index).toMatch(/<span class="badge bad">FAILED<\/span><\/td><td><a href="broke\/report.html">broke<\/a>/);
    const suite = JSON.parse(await readFile(outcome.suitePath!, 'utf8')) as { scenarios: Array<{ name: string; report?: string }> };
    expect(suite.scenarios.map((s) => s.report)).toEqual(['held/report.html', 'broke/report.html']);

    // Each junit names the report relative to itself: the combined one, the scenario's own, and the --junit copy elsewhere.
    const failureMessages = (xml: string) => [...xml.matchAll(/<failure [^>]*message="([^"]*)"/g)].map((m) => m[1]!);
    const combined = failureMessages(await readFile(outcome.junitPath, 'utf8'));
    expect(combined.length).toBeGreaterThan(0);
    for (const m of combined) expect(m).toMatch(/see broke\/report\.html$/);
    for (const m of failureMessages(await readFile(join(out, 'broke', 'junit.xml'), 'utf8'))) expect(m).toMatch(/ — see report\.html$/);
    const copied = failureMessages(await readFile(junitCopy, 'utf8'));
    expect(copied.length).toBe(combined.length);
    for (const m of copied) expect(m).toMatch(/see \.\.\/out\/broke\/report\.html$/);
    expect(failureMessages(await readFile(join(out, 'held', 'junit.xml'), 'utf8'))).toEqual([]);
  }, 180_000);

  it('a single scenario: report.html and summary.md beside its results, no index', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'paychaos-single-report-'));
    const out = join(dir, 'out');
    const outcome = await runSuite(await loadScenarios([await scenario(dir, 'alone', '5000')]), { paychaosVersion: '0.0.0-test', outDir: out });
    expect(outcome.exitCode).toBe(0);
    expect(outcome.indexPath).toBeUndefined();
    expect(await exists(join(out, 'index.html'))).toBe(false);
    expect(await readFile(join(out, 'report.html'), 'utf8')).toContain('data-verdict="HELD"');
    expect(await readFile(join(out, 'summary.md'), 'utf8')).toContain('## paychaos alone: HELD');
  }, 120_000);

  it("a run's fault steps: what each observed, in report.html, summary.md and the printed summary, the one that met nothing flagged", async () => {
    // Cards go to Stripe only, so Adyen runs but is never called: its step meets nothing, Stripe's bites.
    const dir = await mkdtemp(join(tmpdir(), 'paychaos-observed-report-'));
    const path = join(dir, 'observed.yaml');
    await writeFile(path, [
      'name: observed',
      'stack:',
      '  providers: [stripe, adyen]',
      "  gateway: { routes: { 'pm_card_*': [stripe] } }",
      'load: { executor: constant-arrival-rate, rate: 10, duration: 2s, mix: cards }',
      'timeline:',
      '  - { id: bites, at: 200ms, for: 1s, target: stripe, type: charged-then-error }',
      '  - { id: idle, at: 200ms, for: 1s, target: adyen, type: charged-then-error }',
      '',
    ].join('\n'));
    const out = join(dir, 'out');
    const outcome = await runSuite(await loadScenarios([path]), { paychaosVersion: '0.0.0-test', outDir: out });
    const results = outcome.entries[0]!.results!;
    const observed = Object.fromEntries(results.faults.map((f) => [f.id, f.observed]));
    expect(observed.idle).toEqual({ commitThenError: 0 });
    const bit = observed.bites!.commitThenError!;
    expect(bit).toBeGreaterThan(0);

    const html = await readFile(join(out, 'report.html'), 'utf8');
    expect(html).toContain(`<span data-observed="counted" data-fault="bites">commitThenError ${bit}</span>`);
    expect(html).toMatch(/<span data-observed="hit-nothing" data-fault="idle"><span class="badge warn">hit nothing<\/span> commitThenError 0<\/span>/);
    expect(html).toMatch(new RegExp(`<li data-hit-nothing="idle"><b>idle</b> \\(charged-then-error on adyen, [^)]*, observed commitThenError 0\\): ${HIT_NOTHING}</li>`));
    expect(html).not.toContain('data-hit-nothing="bites"');
    expect(html).toContain(`while it was on, adyen acted on it: commitThenError 0 — ${HIT_NOTHING}</li>`);
    expect(html).toContain(`while it was on, stripe acted on it: commitThenError ${bit}</li>`);
    const md = await readFile(join(out, 'summary.md'), 'utf8');
    expect(md).toMatch(new RegExp(`\\| bites \\| charged-then-error \\(provider\\) \\| stripe \\| [^|]+ \\| commitThenError ${bit} \\|`));
    expect(md).toMatch(/\| idle \| charged-then-error \(provider\) \| adyen \| [^|]+ \| commitThenError 0 ⚠ hit nothing \|/);
    expect(md).toMatch(new RegExp(`^- ⚠ \\*\\*idle\\*\\* \\(charged-then-error on adyen, .*\\): ${HIT_NOTHING} \\(commitThenError 0\\)\\.$`, 'm'));
    const text = formatSummary(results);
    expect(text).toMatch(new RegExp(`^  fault      bites: charged-then-error on stripe, .*, observed: commitThenError ${bit}$`, 'm'));
    expect(text).toMatch(new RegExp(`^  fault      idle: charged-then-error on adyen, .*, observed: commitThenError 0\n             ⚠ ${HIT_NOTHING}$`, 'm'));
  }, 120_000);
});
