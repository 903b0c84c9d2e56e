import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { resultsSchema } from '../../src/report/index.js';
import { runBuiltCli } from '../helpers/cli-process.js';

/** `paychaos run` through the built CLI, as CI runs it: exit codes, results.json, junit.xml. */
const SCENARIOS = join(import.meta.dirname, '../../scenarios');
const parseJunit = (xml: string) =>
  new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (name) => ['testsuite', 'testcase'].includes(name) }).parse(xml) as {
    testsuites: { tests: string; failures: string; testsuite: Array<{ name: string; time: string; tests: string; failures: string; testcase: Array<{ name: string; time: string; failure?: unknown }> }> };
  };

describe('paychaos run (built CLI)', () => {
  it('runs smoke and duplicate-submit as a suite: exit 0, a directory each, suite.json, a combined junit.xml', async () => {
    const out = await mkdtemp(join(tmpdir(), 'paychaos-run-e2e-'));
    const junitCopy = join(out, 'copy', 'junit.xml');
    const run = runBuiltCli(['run', join(SCENARIOS, 'smoke.yaml'), join(SCENARIOS, 'duplicate-submit.yaml'), '--out', out, '--junit', junitCopy, '--progress', 'lines']);
    const code = await run.exited;
    expect(code, run.stderr() + run.stdout()).toBe(0);
    // Plain progress lines (not a TTY): scenario, phase, elapsed/total, rates, success, p99, faults.
    expect(run.stdout()).toMatch(/smoke {2}drive {2}\d+\.\d\/10\.0s {2}rate /);

    const suite = JSON.parse(await readFile(join(out, 'suite.json'), 'utf8')) as { exitCode: number; scenarios: Array<{ name: string; exitCode: number; status: string }> };
    expect(suite.exitCode).toBe(0);
    expect(suite.scenarios.map((s) => [s.name, s.status, s.exitCode])).toEqual([
      ['smoke', 'completed', 0],
      ['duplicate-submit', 'completed', 0],
    ]);
    for (const name of ['smoke', 'duplicate-submit']) {
      const results = resultsSchema.parse(JSON.parse(await readFile(join(out, name, 'results.json'), 'utf8')));
      expect(results.scenario).toBe(name);
      expect(results.invariants.map((i) => [i.name, i.passed])).toEqual([
        ['no-double-charge', true],
        ['captures-within-orders', true],
      ]);
      // The scenario's thresholds were judged, each with its measured value and threshold.
      const thresholds = results.assertions.filter((a) => !a.name.startsWith('driver_'));
      expect(thresholds.length).toBeGreaterThanOrEqual(3);
      for (const a of thresholds) {
        expect(a.passed, a.name).toBe(true);
        expect(a.measured).not.toBeNull();
        expect(a.threshold).not.toBeNull();
      }
      expect(XMLValidator.validate(await readFile(join(out, name, 'junit.xml'), 'utf8'))).toBe(true);
    }
    const dup = resultsSchema.parse(JSON.parse(await readFile(join(out, 'duplicate-submit', 'results.json'), 'utf8')));
    expect(dup.faults).toEqual([expect.objectContaining({ id: 'new-key-wave', layer: 'client', plannedAtS: 3, plannedForS: 6 })]);
    expect(dup.assertions.map((a) => a.name)).toContain('success_rate{behaviour:first} rate>=0.8 during new-key-wave');

    // What people read: each scenario's report and summary, and the suite's index linking both.
    for (const name of ['smoke', 'duplicate-submit']) {
      expect(run.stdout()).toContain(`  report     ${join(out, name, 'report.html')}`);
      expect(await readFile(join(out, name, 'summary.md'), 'utf8')).toContain(`## paychaos ${name}: HELD`);
    }
    expect(run.stdout()).toContain(`  index    ${join(out, 'index.html')}`);
    const index = await readFile(join(out, 'index.html'), 'utf8');
    expect(index).toContain('<a href="smoke/report.html">smoke</a>');
    expect(index).toContain('<a href="duplicate-submit/report.html">duplicate-submit</a>');

    const xml = await readFile(join(out, 'junit.xml'), 'utf8');
    expect(XMLValidator.validate(xml)).toBe(true);
    expect(await readFile(junitCopy, 'utf8')).toBe(xml);
    const junit = parseJunit(xml);
    expect(junit.testsuites.failures).toBe('0');
    expect(junit.testsuites.testsuite.map((s) => s.name)).toEqual(['smoke', 'duplicate-submit']);
    for (const s of junit.testsuites.testsuite) {
      expect(Number(s.time)).toBeGreaterThan(5);
      expect(s.testcase.map((c) => c.name)).toEqual(expect.arrayContaining(['invariant no-double-charge', 'invariant captures-within-orders']));
      expect(new Set(s.testcase.map((c) => c.name)).size).toBe(s.testcase.length);
      for (const c of s.testcase) {
        expect(c.time).toBeDefined();
        expect(c.failure).toBeUndefined();
      }
    }
  }, 180_000);

  it('Ctrl-C mid-fault: the fault is undone, results and junit are written, exit 130', async () => {
    const out = await mkdtemp(join(tmpdir(), 'paychaos-run-e2e-'));
    const scenario = join(out, 'slow.yaml');
    await writeFile(
      scenario,
      ['name: slow', 'load: { executor: constant-arrival-rate, rate: 10, duration: 30s }', 'timeline:', '  - { id: held, type: latency, target: stripe, at: 0s, latencyMs: 50 }', ''].join('\n'),
    );
    const run = runBuiltCli(['run', scenario, '--out', join(out, 'r'), '--progress', 'lines']);
    await run.waitFor('faults: held', 30_000);
    run.child.kill('SIGINT');
    expect(await run.exited).toBe(130);
    const results = resultsSchema.parse(JSON.parse(await readFile(join(out, 'r', 'results.json'), 'utf8')));
    expect(results.status).toBe('interrupted');
    const [held] = results.faults;
    expect(held).toMatchObject({ id: 'held', layer: 'network' });
    expect(held).not.toHaveProperty('error');
    expect(held!.endS).toBeGreaterThan(held!.startS);
    expect(XMLValidator.validate(await readFile(join(out, 'r', 'junit.xml'), 'utf8'))).toBe(true);
  }, 90_000);

  it('refuses a bad scenario with exit 2 before starting anything, naming the file and path', async () => {
    const out = await mkdtemp(join(tmpdir(), 'paychaos-run-e2e-'));
    const scenario = join(out, 'bad.yaml');
    await writeFile(scenario, 'name: bad\nload: { executor: constant-arrival-rate, rate: 10, duration: banana }\n');
    const run = runBuiltCli(['run', scenario, '--out', join(out, 'r')]);
    expect(await run.exited).toBe(2);
    expect(run.stderr()).toContain('PAYCHAOS_ERR_SCENARIO_INVALID');
    expect(run.stderr()).toContain('bad.yaml: load.duration');
  }, 30_000);
});
