import { writeFile, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_JUDGE_CONFIG, judge, parseJudgeConfig } from '../../../src/analysis/index.js';
import { bucketsToSample, inputsFromPrometheus, queryPrometheus } from '../../../src/judge/index.js';
import { runCli } from '../../../src/cli/run.js';
import { isPaychaosError } from '../../../src/kernel/index.js';
import { fakeIo } from '../../helpers/fake-io.js';
import { bucketsOf, startFakePrometheus, type FakePrometheus, type FakeVariantSeries } from './fake-prometheus.js';
import { tempDir } from './results-fixture.js';

// 40 ms median, log-spread; the slow canary is 1.6× slower everywhere.
const fast = (q: number) => 0.04 * Math.exp(0.5 * (q - 0.5) * 3);
const slow = (q: number) => 1.6 * fast(q);
const healthy: FakeVariantSeries = { succeeded: 1960, failedByCode: { card_declined: 30, insufficient_funds: 10 }, buckets: bucketsOf(2000, fast) };

let prom: FakePrometheus | undefined;
afterEach(async () => {
  await prom?.close();
  prom = undefined;
});

let dir: string;
beforeAll(async () => {
  dir = await tempDir();
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const config = parseJudgeConfig(DEFAULT_JUDGE_CONFIG);

describe('the Prometheus data source (fake Prometheus on 127.0.0.1)', () => {
  it('passes a healthy canary, querying each variant by its label over the window', async () => {
    prom = await startFakePrometheus({ 'v1.4.2': healthy, 'v1.5.0': { ...healthy, failedByCode: { card_declined: 27, insufficient_funds: 12 } } });
    const inputs = await inputsFromPrometheus(config, { url: prom.url, window: '5m', baseline: 'v1.4.2', canary: 'v1.5.0' });
    const report = judge(config, inputs);
    expect(report.verdict).toBe('pass');
    expect(prom.queries).toHaveLength(8); // per variant: events, total, codes, buckets
    expect(prom.queries.every((q) => q.includes('[5m]'))).toBe(true);
    expect(prom.queries.filter((q) => q.includes('paychaos_variant="v1.5.0"'))).toHaveLength(4);
    // increase() is fractional; the judge rounds to whole requests.
    expect(inputs.get('error-rate')).toEqual({ kind: 'proportion', baseline: { events: 40, trials: 2000 }, canary: { events: 39, trials: 1999 } });
  });

  it('fails a canary whose latency histogram moved up, from cumulative le buckets', async () => {
    prom = await startFakePrometheus({ baseline: healthy, canary: { ...healthy, buckets: bucketsOf(2000, slow) } });
    const report = judge(config, await inputsFromPrometheus(config, { url: prom.url }));
    expect(report.metrics.find((m) => m.name === 'latency-p95')?.classification).toBe('high');
    expect(report.verdict).toBe('fail');
  });

  it('is inconclusive, not failing or crashing, when the canary has no series at all', async () => {
    prom = await startFakePrometheus({ baseline: healthy });
    const report = judge(config, await inputsFromPrometheus(config, { url: prom.url }));
    expect(report.metrics.map((m) => m.classification)).toEqual(['nodata', 'nodata', 'nodata']);
    expect(report.verdict).toBe('inconclusive');
  });

  it('reports a query Prometheus rejects as PAYCHAOS_ERR_JUDGE_PROMETHEUS_QUERY, quoting it', async () => {
    prom = await startFakePrometheus({ baseline: healthy });
    const err = await queryPrometheus(prom.url, 'rate(oops', { timeoutMs: 2000 }).catch((e: unknown) => e);
    expect(isPaychaosError(err, 'PAYCHAOS_ERR_JUDGE_PROMETHEUS_QUERY')).toBe(true);
    expect((err as Error).message).toContain('rate(oops');
    expect((err as Error).message).toContain('bad_data');
  });

  it('reports an unreachable Prometheus as PAYCHAOS_ERR_JUDGE_PROMETHEUS_UNREACHABLE', async () => {
    prom = await startFakePrometheus({});
    const url = prom.url;
    await prom.close();
    prom = undefined;
    const err = await queryPrometheus(url, 'sum(up)', { timeoutMs: 2000 }).catch((e: unknown) => e);
    expect(isPaychaosError(err, 'PAYCHAOS_ERR_JUDGE_PROMETHEUS_UNREACHABLE')).toBe(true);
  });

  it.each([
    [200, 'text/html', '<html>Grafana</html>', 'PAYCHAOS_ERR_JUDGE_PROMETHEUS_UNREACHABLE'],
    [503, 'application/json', '{"status":"error","errorType":"unavailable","error":"too many queries"}', 'PAYCHAOS_ERR_JUDGE_PROMETHEUS_UNREACHABLE'],
    [422, 'application/json', '{"status":"error","errorType":"execution","error":"many-to-many matching not allowed"}', 'PAYCHAOS_ERR_JUDGE_PROMETHEUS_QUERY'],
    [200, 'application/json', '{"status":"success","data":{"resultType":"matrix","result":[]}}', 'PAYCHAOS_ERR_JUDGE_PROMETHEUS_QUERY'],
  ])('maps an HTTP %d %s answer to its coded error', async (status, type, body, code) => {
    const server = createServer((_req, res) => {
      res.writeHead(status, { 'content-type': type });
      res.end(body);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const err = await queryPrometheus(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, 'sum(up)', { timeoutMs: 2000 }).catch((e: unknown) => e);
      expect(isPaychaosError(err, code as 'PAYCHAOS_ERR_JUDGE_PROMETHEUS_QUERY')).toBe(true);
    } finally {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    }
  });

  it('gives up on a Prometheus that never answers after timeoutMs', async () => {
    const server = createServer(() => {
      /* never answers */
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const t0 = Date.now();
      const err = await queryPrometheus(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, 'sum(up)', { timeoutMs: 300 }).catch((e: unknown) => e);
      expect(isPaychaosError(err, 'PAYCHAOS_ERR_JUDGE_PROMETHEUS_UNREACHABLE')).toBe(true);
      expect(Date.now() - t0).toBeLessThan(3000); // 300 ms timeout, generous scheduling tolerance
    } finally {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    }
  });

  it('leaves out NaN and negative counts of an error-code query rather than failing the judgement', async () => {
    const series = (variant: string) => [
      { metric: { payment_error_code: 'card_declined' }, value: [0, variant === 'canary' ? '31' : '30'] },
      { metric: { payment_error_code: 'insufficient_funds' }, value: [0, '25'] },
      { metric: { payment_error_code: 'bogus' }, value: [0, 'NaN'] },
      { metric: { payment_error_code: 'reset' }, value: [0, '-3'] },
    ];
    const server = createServer((req, res) => {
      const query = new URL(req.url ?? '/', 'http://x').searchParams.get('query') ?? '';
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ status: 'success', data: { resultType: 'vector', result: series(query.includes('"canary"') ? 'canary' : 'baseline') } }));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const c = parseJudgeConfig({ metrics: [{ name: 'codes', kind: 'distribution', prometheus: { byCode: 'sum by (payment_error_code) (x{v="{{variant}}"})' } }] });
      const inputs = await inputsFromPrometheus(c, { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
      expect(inputs.get('codes')).toEqual({ kind: 'distribution', baseline: { card_declined: 30, insufficient_funds: 25 }, canary: { card_declined: 31, insufficient_funds: 25 } });
      expect(judge(c, inputs).metrics[0]!.classification).toBe('pass');
    } finally {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    }
  });

  it('refuses a config with a metric that has no Prometheus query', async () => {
    const c = parseJudgeConfig({ metrics: [{ name: 'errors', kind: 'proportion' }] });
    const err = await inputsFromPrometheus(c, { url: 'http://127.0.0.1:1' }).catch((e: unknown) => e);
    expect(isPaychaosError(err, 'PAYCHAOS_ERR_JUDGE_BAD_CONFIG')).toBe(true);
    expect((err as Error).message).toContain('errors');
  });
});

describe('paychaos judge --prometheus', () => {
  const run = async (...argv: string[]) => {
    const io = fakeIo();
    const code = await runCli(['judge', ...argv], io);
    return { code, out: io.out(), err: io.err() };
  };

  it('exits 0 for a healthy canary and 1 for a regressed one', async () => {
    prom = await startFakePrometheus({ baseline: healthy, canary: healthy, bad: { ...healthy, failedByCode: { ...healthy.failedByCode, provider_error: 120 } } });
    expect((await run('--prometheus', prom.url)).code).toBe(0);
    const bad = await run('--prometheus', prom.url, '--canary-label', 'bad', '--format', 'json');
    expect(JSON.parse(bad.out).verdict).toBe('fail');
    expect(bad.code).toBe(1);
  });

  it('exits 4 when the canary has no data yet', async () => {
    prom = await startFakePrometheus({ baseline: healthy });
    expect((await run('--prometheus', prom.url, '--window', '2m')).code).toBe(4);
  });

  it('exits 3 when Prometheus cannot be reached', async () => {
    prom = await startFakePrometheus({});
    const url = prom.url;
    await prom.close();
    prom = undefined;
    const r = await run('--prometheus', url);
    expect(r.code).toBe(3);
    expect(r.err).toContain('PAYCHAOS_ERR_JUDGE_PROMETHEUS_UNREACHABLE');
  });

  it('exits 2 when the config holds PromQL that Prometheus rejects', async () => {
    prom = await startFakePrometheus({ baseline: healthy, canary: healthy });
    const path = join(dir, 'bad-promql.yaml');
    await writeFile(path, 'metrics:\n  - name: errors\n    kind: proportion\n    prometheus:\n      events: "rate(oops"\n      total: "rate(oops"\n');
    const r = await run('--prometheus', prom.url, '--config', path);
    expect(r.code).toBe(2);
    expect(r.err).toContain('PAYCHAOS_ERR_JUDGE_PROMETHEUS_QUERY');
  });
});

describe('cumulative Prometheus buckets as a weighted sample', () => {
  it('turns cumulative le counts into per-bucket counts at their upper bounds, in ms', () => {
    const s = bucketsToSample(
      [
        { metric: { le: '0.1' }, value: 10 },
        { metric: { le: '0.025' }, value: 4 },
        { metric: { le: '+Inf' }, value: 12 },
        { metric: { le: '0.05' }, value: 4 },
      ],
      1000,
    )!;
    expect([...s.values]).toEqual([25, 100]);
    expect([...s.counts]).toEqual([4, 8]); // 6 in (50, 100], plus the 2 beyond the last finite bound
    expect(s.total).toBe(12);
  });

  it('has no sample when there are no buckets or no observations', () => {
    expect(bucketsToSample([], 1000)).toBeUndefined();
    expect(bucketsToSample([{ metric: { le: '+Inf' }, value: 0 }], 1000)).toBeUndefined();
  });
});
