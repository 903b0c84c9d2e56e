import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../src/cli/run.js';
import { ingestK6Output } from '../../../src/run/index.js';
import { resultsSchema, type Results } from '../../../src/report/index.js';
import { fakeIo } from '../../helpers/fake-io.js';

/** Recorded from a real k6 v0.48.0 run; see its README for what the server answered. */
const FIXTURES = join(import.meta.dirname, '../../fixtures/k6');
const OUT_JSON = join(FIXTURES, 'out.json');

interface Truth {
  /** http_reqs samples per variant and status, counted straight from the file. */
  byVariantStatus: Map<string, number>;
  total: number;
}

async function countHttpReqs(): Promise<Truth> {
  const byVariantStatus = new Map<string, number>();
  let total = 0;
  for (const line of (await readFile(OUT_JSON, 'utf8')).split('\n')) {
    if (!line) continue;
    const rec = JSON.parse(line) as { type: string; metric: string; data: { value: number; tags: Record<string, string> } };
    if (rec.type !== 'Point' || rec.metric !== 'http_reqs') continue;
    const key = `${rec.data.tags.variant}/${rec.data.tags.status}`;
    byVariantStatus.set(key, (byVariantStatus.get(key) ?? 0) + rec.data.value);
    total += rec.data.value;
  }
  return { byVariantStatus, total };
}

describe('paychaos ingest k6 on real k6 v0.48 output', () => {
  let truth: Truth;
  let exported: { metrics: Record<string, Record<string, number>> };
  let results: Results;
  let dir: string;

  beforeAll(async () => {
    truth = await countHttpReqs();
    exported = JSON.parse(await readFile(join(FIXTURES, 'summary-export.json'), 'utf8'));
    dir = await mkdtemp(join(tmpdir(), 'paychaos-ingest-'));
    results = (await ingestK6Output({ path: OUT_JSON, outDir: dir, runId: 'k6-fixture', paychaosVersion: 'test' })).results;
  });

  it('the fixture is what its README says: 81 requests, every 10th declined, every 10th+7 unavailable', () => {
    expect(truth.total).toBe(81);
    expect(exported.metrics.http_reqs!.count).toBe(81);
    // Cross-check: k6's own summary counts the non-201s as failed requests and failed checks.
    const non201 = [...truth.byVariantStatus].filter(([k]) => !k.endsWith('/201')).reduce((s, [, n]) => s + n, 0);
    expect(exported.metrics.http_req_failed!.passes).toBe(non201);
    expect(exported.metrics.checks!.fails).toBe(non201);
    expect(Object.fromEntries(truth.byVariantStatus)).toEqual({ 'baseline/201': 48, 'baseline/402': 5, 'baseline/503': 7, 'canary/201': 17, 'canary/402': 3, 'canary/503': 1 });
  });

  it('writes a schema-valid results.json with engine k6', async () => {
    const onDisk = resultsSchema.parse(JSON.parse(await readFile(join(dir, 'results.json'), 'utf8')));
    expect(onDisk).toEqual(results);
    expect(results.load.engine).toBe('k6');
    expect(results.scenario).toBe('baseline+canary');
    expect(results.status).toBe('completed');
  });

  it('yields exactly the counts the samples carry, per variant and per status', () => {
    const n = (k: string): number => truth.byVariantStatus.get(k) ?? 0;
    for (const variant of ['baseline', 'canary'] as const) {
      const v = results.variants[variant]!;
      expect(v.requests).toBe(n(`${variant}/201`) + n(`${variant}/402`) + n(`${variant}/503`));
      expect(v.succeeded).toBe(n(`${variant}/201`));
      expect(v.failed).toBe(n(`${variant}/402`) + n(`${variant}/503`));
      expect(v.pending).toBe(0);
      expect(v.errorCodes).toEqual({ card_declined: n(`${variant}/402`), provider_unavailable: n(`${variant}/503`) });
      expect(v.byProvider.alipay!.requests).toBe(v.requests);
    }
    expect(results.variants.baseline!.requests + results.variants.canary!.requests).toBe(exported.metrics.http_reqs!.count);
    const perSecond = results.timeline.reduce((s, b) => s + b.requests, 0);
    expect(perSecond).toBe(81);
  });

  it("agrees with k6's own latency figures for the canary, within 1 %", () => {
    // k6 summarised http_req_duration{variant:canary} itself (its threshold's submetric).
    const k6 = exported.metrics['http_req_duration{variant:canary}']!;
    const ours = results.variants.canary!.latencyMs;
    const near = (a: number, b: number): void => expect(Math.abs(a - b) / b, `${a} vs k6 ${b}`).toBeLessThan(0.01);
    near(ours.p50, k6.med!);
    near(ours.p90, k6['p(90)']!);
    near(ours.mean, k6.avg!);
    near(ours.max, k6.max!);
  });

  it("derives the achieved rate from the samples' time span, within 2 % of k6's", () => {
    const k6Rate = exported.metrics.http_reqs!.rate!;
    expect(Math.abs(results.load.achievedRate - k6Rate) / k6Rate).toBeLessThan(0.02);
    expect(results.durationS).toBeGreaterThan(1.9);
    expect(results.durationS).toBeLessThan(2.1);
    expect(results.load).toMatchObject({ droppedIterations: 0, scheduledIterations: 81, driverHealthy: true });
  });

  it('streams one payment line per request into events.jsonl', async () => {
    const lines = (await readFile(join(dir, 'events.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as { type: string });
    expect(lines[0]).toMatchObject({ type: 'run', runId: 'k6-fixture', engine: 'k6' });
    expect(lines.filter((l) => l.type === 'payment')).toHaveLength(81);
  });
});

describe('paychaos ingest k6 (CLI)', () => {
  it('prints the summary and exits 0', async () => {
    const out = await mkdtemp(join(tmpdir(), 'paychaos-ingest-cli-'));
    const io = fakeIo();
    expect(await runCli(['ingest', 'k6', OUT_JSON, '--out', out, '--target-rate', '40'], io)).toBe(0);
    expect(io.out()).toMatch(/load\s+k6, target 40\/s/);
    expect(io.out()).toContain('card_declined 5');
    const results = resultsSchema.parse(JSON.parse(await readFile(join(out, 'results.json'), 'utf8')));
    expect(results.load.targetRate).toBe(40);
  });

  it('exits 2 naming the path when the file is missing, and leaves no output directory', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'paychaos-ingest-cli-'));
    const io = fakeIo();
    const missing = join(dir, 'nope.json');
    expect(await runCli(['ingest', 'k6', missing, '--out', join(dir, 'out')], io)).toBe(2);
    expect(io.err()).toContain('PAYCHAOS_ERR_K6_BAD_OUTPUT');
    expect(io.err()).toContain(missing);
    expect(io.err()).toContain('hint:');
    await expect(readFile(join(dir, 'out', 'results.json'))).rejects.toThrow();
  });

  it('exits 2 naming the path and line of a malformed line', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'paychaos-ingest-cli-'));
    const bad = join(dir, 'out.json');
    const good = (await readFile(OUT_JSON, 'utf8')).split('\n').slice(0, 5).join('\n');
    await writeFile(bad, `${good}\n{"metric":"http_reqs","type":"Point","data":{"ti`);
    const io = fakeIo();
    expect(await runCli(['ingest', 'k6', bad, '--out', join(dir, 'out')], io)).toBe(2);
    expect(io.err()).toContain(`${bad}:6: not JSON`);
  });

  it('exits 2 on a file that is not k6 --out json output, such as its summary export', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'paychaos-ingest-cli-'));
    const io = fakeIo();
    expect(await runCli(['ingest', 'k6', join(FIXTURES, 'summary-export.json'), '--out', dir], io)).toBe(2);
    expect(io.err()).toMatch(/summary-export\.json:1: not JSON/);
  });

  it('exits 2 on an engine it does not know', async () => {
    const io = fakeIo();
    expect(await runCli(['ingest', 'gatling', OUT_JSON], io)).toBe(2);
    expect(io.err()).toContain('gatling');
  });
});

describe('paychaos ingest k6 over several runner pods', () => {
  it('merges one file per pod (gzipped or not) into the same results as one file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'paychaos-ingest-pods-'));
    // Split the real output the way two k6-operator pods would have written it: by scenario.
    const lines = (await readFile(OUT_JSON, 'utf8')).split('\n').filter(Boolean);
    const pod = (scenario: string): string => `${lines.filter((l) => l.includes('"type":"Metric"') || l.includes(`"scenario":"${scenario}"`)).join('\n')}\n`;
    await writeFile(join(dir, 'pod-0.json'), pod('baseline'));
    await writeFile(join(dir, 'pod-1.json.gz'), gzipSync(pod('canary')));

    const single = await ingestK6Output({ path: OUT_JSON, outDir: join(dir, 'single'), runId: 'one', paychaosVersion: 'test' });
    const merged = await ingestK6Output({ path: [join(dir, 'pod-0.json'), join(dir, 'pod-1.json.gz')], outDir: join(dir, 'merged'), runId: 'two', paychaosVersion: 'test' });
    expect(merged.results.variants).toEqual(single.results.variants);
    expect(merged.results.timeline.reduce((s, b) => s + b.requests, 0)).toBe(81);
    expect(merged.results.load.achievedRate).toBeCloseTo(single.results.load.achievedRate, 0);
  });

  it('exits 2 naming the pod file that is missing', async () => {
    const io = fakeIo();
    expect(await runCli(['ingest', 'k6', OUT_JSON, '/nonexistent/pod-7.json'], io)).toBe(2);
    expect(io.err()).toContain('/nonexistent/pod-7.json');
  });
});
