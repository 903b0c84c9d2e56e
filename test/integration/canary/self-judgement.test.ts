import { copyFile, rm, symlink } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { request } from 'undici';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_JUDGE_CONFIG, parseJudgeConfig } from '../../../src/analysis/index.js';
import { prometheusSource, resultsFilesSource, startJudgeServer } from '../../../src/judge/index.js';
import { judge, serveJudge } from './cli-runner.js';
import { bucketsOf, startFakePrometheus } from './fake-prometheus.js';
import { tempDir, writeResults, type VariantSpec } from './results-fixture.js';

/**
 * Issue 7: a judge release managers gate rollouts on must never compare a variant with itself,
 * a comparison that always passes — not from one single-variant file given for both roles, not
 * through two paths to one file, not from a copy of one run, not over HTTP.
 */

const healthy = (seed: number): VariantSpec => ({ requests: 2000, errorCodes: { card_declined: 30 }, medianMs: 40, seed });
const config = parseJudgeConfig(DEFAULT_JUDGE_CONFIG);

let dir: string;
const f: Record<string, string> = {};

beforeAll(async () => {
  dir = await tempDir();
  f.onlyCanary = await writeResults(dir, 'only-canary.json', { canary: healthy(1) }, 'run-a');
  f.onlyBaseline = await writeResults(dir, 'only-baseline.json', { baseline: healthy(2) }, 'run-b');
  f.both = await writeResults(dir, 'both.json', { baseline: healthy(3), canary: healthy(4) }, 'run-c');
  f.otherRun = await writeResults(dir, 'other-run.json', { canary: healthy(5) }, 'run-d');
  f.copy = join(dir, 'copy-of-only-canary.json');
  await copyFile(f.onlyCanary, f.copy);
  f.link = join(dir, 'link-to-only-canary.json');
  await symlink(f.onlyCanary, f.link);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (closers.length) await closers.pop()!();
});

async function get(url: string) {
  const res = await request(url, { signal: AbortSignal.timeout(5000) });
  return { status: res.statusCode, body: (await res.body.json()) as { error?: { code: string; message: string }; verdict?: string } };
}

describe('paychaos judge never judges a variant against itself', () => {
  it.each([
    ['--results on a file holding only a canary', () => ['--results', f.onlyCanary!], 'baseline'],
    ['--baseline F --canary F, F holding only a canary', () => ['--baseline', f.onlyCanary!, '--canary', f.onlyCanary!], 'baseline'],
    ['--results on a file holding only a baseline', () => ['--results', f.onlyBaseline!], 'canary'],
    ['one file through a symlink and its own path', () => ['--baseline', f.link!, '--canary', f.onlyCanary!], 'baseline'],
    ['one file by a relative and an absolute path', () => ['--baseline', relative(process.cwd(), f.onlyCanary!), '--canary', f.onlyCanary!], 'baseline'],
  ])('%s: exits 2 with PAYCHAOS_ERR_JUDGE_NO_VARIANT naming the missing variant, and prints no verdict', async (_name, argv, missing) => {
    const r = await judge(...argv());
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toContain('code: PAYCHAOS_ERR_JUDGE_NO_VARIANT');
    expect(r.err).toContain(`has no "${missing}" variant`);
    expect(r.err).toContain('compared with itself');
    expect(r.err).toContain('paychaos demo --canary');
  });

  it('refuses a copy of a run judged against the run itself (same runId, same variant)', async () => {
    const r = await judge('--baseline', f.copy!, '--canary', f.onlyCanary!);
    expect(r.code).toBe(2);
    expect(r.err).toContain('code: PAYCHAOS_ERR_JUDGE_NO_VARIANT');
    expect(r.err).toContain('the same "canary" variant of run run-a');
  });

  it('still judges two single-variant runs, whatever their one variant is called', async () => {
    const r = await judge('--baseline', f.otherRun!, '--canary', f.onlyCanary!, '--format', 'json');
    expect(r.err).toBe('');
    expect(JSON.parse(r.out).verdict).toBe('pass');
    expect(r.code).toBe(0);
  });

  it('still judges one file holding both variants, with --results or the file twice', async () => {
    expect((await judge('--results', f.both!)).code).toBe(0);
    expect((await judge('--baseline', f.both!, '--canary', f.both!)).code).toBe(0);
  });

  it.each([
    [['--baseline-label', 'v1', '--canary-label', 'v1'], '--baseline-label and --canary-label are both "v1"'],
    [['--baseline-label', 'canary'], '--baseline-label and prometheus.variants.canary are both "canary"'],
    [['--canary-label', 'baseline'], 'prometheus.variants.baseline and --canary-label are both "baseline"'],
  ])('exits 2 before querying Prometheus when the label values %j make both sides one', async (labels, message) => {
    const prom = await startFakePrometheus({});
    closers.push(prom.close);
    const r = await judge('--prometheus', prom.url, ...labels);
    expect(r.code).toBe(2);
    expect(r.err).toContain('code: PAYCHAOS_ERR_CLI_BAD_FLAG');
    expect(r.err).toContain(message);
    expect(prom.queries).toEqual([]);
  });
});

describe('paychaos serve judge never judges a variant against itself', () => {
  it('refuses to start on a single-variant file given for both roles', async () => {
    const r = await serveJudge('--baseline', f.onlyCanary!, '--canary', f.onlyCanary!);
    expect(r.started).toBe(false);
    expect(r.code).toBe(2);
    expect(r.err).toContain('code: PAYCHAOS_ERR_JUDGE_NO_VARIANT');
  });

  it('answers /judge and /flagger with 400, never a verdict, when the files would judge a variant against itself', async () => {
    const server = await startJudgeServer({ config, source: resultsFilesSource(f.onlyCanary!, f.onlyCanary!) });
    closers.push(server.close);
    const r = await get(`${server.url}/judge`);
    expect(r.status).toBe(400);
    expect(r.body.verdict).toBeUndefined();
    expect(r.body.error?.code).toBe('PAYCHAOS_ERR_JUDGE_NO_VARIANT');
    const flagger = await request(`${server.url}/flagger`, { method: 'POST', body: '{"name":"checkout"}', headers: { 'content-type': 'application/json' } });
    expect(flagger.statusCode).toBe(400);
    await flagger.body.dump();
  });

  it.each([
    ['?baseline=v1&canary=v1', 'baseline, canary: both are "v1"'],
    ['?baseline=canary', 'both are the variant label value "canary"'],
    ['?canary=baseline', 'both are the variant label value "baseline"'],
  ])('answers /judge%s with 400 PAYCHAOS_ERR_JUDGE_BAD_REQUEST without querying Prometheus', async (query, message) => {
    const prom = await startFakePrometheus({ baseline: { succeeded: 1970, failedByCode: { card_declined: 30 }, buckets: bucketsOf(2000, () => 0.04) } });
    closers.push(prom.close);
    const server = await startJudgeServer({ config, source: prometheusSource(prom.url) });
    closers.push(server.close);
    const r = await get(`${server.url}/judge${query}`);
    expect(r.status).toBe(400);
    expect(r.body.error?.code).toBe('PAYCHAOS_ERR_JUDGE_BAD_REQUEST');
    expect(r.body.error?.message).toContain(message);
    expect(prom.queries).toEqual([]);
  });
});
