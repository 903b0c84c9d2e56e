import { mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../src/cli/run.js';
import { fakeIo } from '../../helpers/fake-io.js';
import { reportFixture, writeFixture } from '../../helpers/report-fixture.js';

const tmp = () => mkdtemp(join(tmpdir(), 'paychaos-report-cli-'));

describe('paychaos report (in-process)', () => {
  it('writes report.html and summary.md beside the results, and prints the summary with --summary', async () => {
    const dir = await tmp();
    const results = await writeFixture(dir, reportFixture());
    const io = fakeIo();
    expect(await runCli(['report', results, '--summary'], io), io.err()).toBe(0);
    expect(io.out()).toContain('## paychaos failover: FAILED');
    expect(io.out()).toContain(`report   ${join(dir, 'report.html')}`);
    expect(await readFile(join(dir, 'summary.md'), 'utf8')).toContain('| baseline.successRate >= 0.99 | 0.9321 | 0.99 |');
    const html = await readFile(join(dir, 'report.html'), 'utf8');
    expect(html).toContain('data-verdict="FAILED"');
    expect(html).toContain('id="slowest-table"');
  });

  it('honours --out, and draws from results alone when there is no events.jsonl', async () => {
    const dir = await tmp();
    const results = await writeFixture(dir, reportFixture(), { events: false });
    const io = fakeIo();
    expect(await runCli(['report', results, '--out', join(dir, 'sub', 'r.html')], io), io.err()).toBe(0);
    expect(io.out()).toContain('no events.jsonl: drawn from results alone');
    expect((await stat(join(dir, 'sub', 'r.html'))).size).toBeGreaterThan(1_000_000); // the chart library is inlined
    expect((await stat(join(dir, 'sub', 'summary.md'))).isFile()).toBe(true);
  });

  it('compares two runs with the canary judge and writes comparison.html', async () => {
    const a = await tmp();
    const b = await tmp();
    const before = await writeFixture(a, reportFixture());
    const fixture = reportFixture();
    const after = await writeFixture(b, { ...fixture, results: { ...fixture.results, runId: 'fixture-run-2' } });
    const io = fakeIo();
    expect(await runCli(['report', '--baseline', before, after, '--summary'], io), io.err()).toBe(0);
    expect(io.out()).toContain('## Canary verdict:');
    const html = await readFile(join(b, 'comparison.html'), 'utf8');
    expect(html).toContain('id="judge-table"');
    expect(html).toContain('fixture-run-2');
  });

  it.each([
    [['report'], 'PAYCHAOS_ERR_CLI_BAD_FLAG', 'give the results.json'],
    [['report', '/nonexistent/results.json'], 'PAYCHAOS_ERR_RESULTS_NOT_FOUND', '/nonexistent/results.json'],
    [['report', '--baseline', '/x.json'], 'PAYCHAOS_ERR_CLI_BAD_FLAG', 'two runs'],
  ])('exits 2 on %j (%s)', async (argv, code, text) => {
    const io = fakeIo();
    expect(await runCli(argv, io)).toBe(2);
    expect(io.err()).toContain(code);
    expect(io.err()).toContain(text);
  });

  it('refuses a results file of another schema version, naming it, and writes nothing', async () => {
    const dir = await tmp();
    const path = join(dir, 'results.json');
    await writeFile(path, JSON.stringify({ ...reportFixture().results, schemaVersion: 0 }));
    const io = fakeIo();
    expect(await runCli(['report', path], io)).toBe(2);
    expect(io.err()).toContain('PAYCHAOS_ERR_RESULTS_UNSUPPORTED_VERSION');
    expect(io.err()).toContain('schemaVersion 0');
    await expect(stat(join(dir, 'report.html'))).rejects.toThrow();
  });

  it('compares only two different runs', async () => {
    const dir = await tmp();
    const path = await writeFixture(dir, reportFixture());
    const io = fakeIo();
    expect(await runCli(['report', '--baseline', path, path], io)).toBe(2);
    expect(io.err()).toContain('are the same run');
  });
});
