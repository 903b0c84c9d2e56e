import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../src/cli/run.js';
import { fakeIo } from '../../helpers/fake-io.js';
import { tempDir, writeResults } from './results-fixture.js';

let dir: string;
const files: Record<string, string> = {};

beforeAll(async () => {
  dir = await tempDir();
  files.baseline = await writeResults(dir, 'baseline.json', { baseline: { requests: 2000, errorCodes: { card_declined: 30, insufficient_funds: 10 }, medianMs: 40, seed: 1 } });
  files.goodCanary = await writeResults(dir, 'good-canary.json', { canary: { requests: 2000, errorCodes: { card_declined: 28, insufficient_funds: 13 }, medianMs: 40, seed: 2 } });
  files.badCanary = await writeResults(dir, 'bad-canary.json', { canary: { requests: 2000, errorCodes: { card_declined: 30, insufficient_funds: 10, provider_error: 100 }, medianMs: 40, seed: 2 } });
  files.slowCanary = await writeResults(dir, 'slow-canary.json', { canary: { requests: 2000, errorCodes: { card_declined: 30, insufficient_funds: 10 }, medianMs: 70, seed: 2 } });
  files.both = await writeResults(dir, 'both.json', {
    baseline: { requests: 2000, errorCodes: { card_declined: 30 }, medianMs: 40, seed: 1 },
    canary: { requests: 2000, errorCodes: { card_declined: 30, provider_error: 80 }, medianMs: 40, seed: 2 },
  });
  files.tiny = await writeResults(dir, 'tiny.json', {
    baseline: { requests: 20, errorCodes: {}, medianMs: 40, seed: 1 },
    canary: { requests: 20, errorCodes: { provider_error: 2 }, medianMs: 40, seed: 2 },
  });
  files.noLatency = await writeResults(dir, 'no-latency.json', { canary: { requests: 2000, errorCodes: { card_declined: 30, insufficient_funds: 10 } } });
  files.empty = await writeResults(dir, 'empty.json', {});
  files.config = join(dir, 'judge.yaml');
  await writeFile(files.config, 'metrics:\n  - name: errors\n    kind: proportion\n    critical: true\n    mustHaveData: true\n');
  files.badConfig = join(dir, 'bad.yaml');
  await writeFile(files.badConfig, 'metrics:\n  - name: errors\n    kind: proportion\n    tolerence: 1\n  - name: p\n    kind: latency\n    percentile: 200\n');
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function judge(...argv: string[]) {
  const io = fakeIo();
  const code = await runCli(['judge', ...argv], io);
  return { code, out: io.out(), err: io.err() };
}

describe('paychaos judge on results files', () => {
  it('exits 0 and prints a Markdown verdict for a clean canary', async () => {
    const r = await judge('--baseline', files.baseline!, '--canary', files.goodCanary!);
    expect(r.err).toBe('');
    expect(r.out).toMatch(/Canary verdict: \*\*PASS\*\*/);
    expect(r.code).toBe(0);
  });

  it('exits 1 for a canary with a higher error rate, and says which metric failed', async () => {
    const r = await judge('--baseline', files.baseline!, '--canary', files.badCanary!);
    expect(r.out).toMatch(/critical metric error-rate is high/);
    expect(r.code).toBe(1);
  });

  it('exits 1 for a slower canary, judged from the HDR histograms in results.json', async () => {
    const r = await judge('--baseline', files.baseline!, '--canary', files.slowCanary!, '--format', 'json');
    const report = JSON.parse(r.out);
    expect(report.metrics.find((m: { name: string }) => m.name === 'latency-p95')).toMatchObject({ classification: 'high', test: { name: 'mann-whitney-u' } });
    expect(r.code).toBe(1);
  });

  it('writes the JSON report to --out while printing Markdown', async () => {
    const out = join(dir, 'reports', 'canary.json');
    const r = await judge('--baseline', files.baseline!, '--canary', files.badCanary!, '--out', out);
    expect(r.out).toMatch(/Canary verdict: \*\*FAIL\*\*/);
    expect(JSON.parse(await readFile(out, 'utf8'))).toMatchObject({ verdict: 'fail', metrics: expect.any(Array) });
  });

  it('judges both variants of one file, with --results or the same file twice', async () => {
    const a = await judge('--results', files.both!, '--format', 'json');
    const b = await judge('--baseline', files.both!, '--canary', files.both!, '--format', 'json');
    expect(a.code).toBe(1);
    expect(JSON.parse(a.out)).toEqual(JSON.parse(b.out));
  });

  it('exits 4 when the samples are too small to judge', async () => {
    const r = await judge('--results', files.tiny!);
    expect(r.out).toMatch(/INCONCLUSIVE/);
    expect(r.code).toBe(4);
  });

  it('exits 4 when a variant has no latency histogram, rather than passing it', async () => {
    const r = await judge('--baseline', files.baseline!, '--canary', files.noLatency!);
    expect(r.out).toMatch(/latency-p95 must have data/);
    expect(r.code).toBe(4);
  });

  it('uses a config file when given one', async () => {
    const r = await judge('--baseline', files.baseline!, '--canary', files.noLatency!, '--config', files.config!, '--format', 'json');
    expect(JSON.parse(r.out).metrics.map((m: { name: string }) => m.name)).toEqual(['errors']);
    expect(r.code).toBe(0);
  });

  it('exits 2 listing every problem of a bad config, with paths', async () => {
    const r = await judge('--results', files.both!, '--config', files.badConfig!);
    expect(r.code).toBe(2);
    expect(r.err).toContain('PAYCHAOS_ERR_JUDGE_BAD_CONFIG');
    expect(r.err).toContain('metrics[0]: Unrecognized key: "tolerence"');
    expect(r.err).toContain('metrics[1].percentile');
  });

  it('exits 2 when a file has no variant to judge', async () => {
    const r = await judge('--baseline', files.empty!, '--canary', files.goodCanary!);
    expect(r.code).toBe(2);
    expect(r.err).toContain('PAYCHAOS_ERR_JUDGE_NO_VARIANT');
  });

  it.each([
    [[], 'exactly one source'],
    [['--baseline', 'x.json'], '--baseline and --canary go together'],
    [['--results', 'x.json', '--prometheus', 'http://127.0.0.1:1'], 'exactly one source'],
    [['--results', 'x.json', '--format', 'yaml'], '--format'],
  ])('exits 2 on flags %j', async (argv, message) => {
    const r = await judge(...argv);
    expect(r.code).toBe(2);
    expect(r.err).toContain(message);
  });

  it('exits 2 when a results file is not valid', async () => {
    const path = join(dir, 'garbage.json');
    await writeFile(path, '{"schemaVersion": 1}');
    const r = await judge('--results', path);
    expect(r.code).toBe(2);
    expect(r.err).toContain('PAYCHAOS_ERR_RESULTS_INVALID');
  });
});
