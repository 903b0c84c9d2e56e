import { rm } from 'node:fs/promises';
import { request } from 'undici';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_JUDGE_CONFIG, parseJudgeConfig } from '../../../src/analysis/index.js';
import { prometheusSource, resultsFilesSource, startJudgeServer } from '../../../src/judge/index.js';
import { runCli } from '../../../src/cli/run.js';
import { fakeIo } from '../../helpers/fake-io.js';
import { bucketsOf, startFakePrometheus, type FakePrometheus } from './fake-prometheus.js';
import { tempDir, writeResults } from './results-fixture.js';

const config = parseJudgeConfig(DEFAULT_JUDGE_CONFIG);
let dir: string;
let baseline: string;
let goodCanary: string;
let badCanary: string;

beforeAll(async () => {
  dir = await tempDir();
  baseline = await writeResults(dir, 'baseline.json', { baseline: { requests: 2000, errorCodes: { card_declined: 30 }, medianMs: 40, seed: 1 } });
  goodCanary = await writeResults(dir, 'good.json', { canary: { requests: 2000, errorCodes: { card_declined: 32 }, medianMs: 40, seed: 2 } });
  badCanary = await writeResults(dir, 'bad.json', { canary: { requests: 2000, errorCodes: { card_declined: 30, provider_error: 90 }, medianMs: 40, seed: 2 } });
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
  const text = await res.body.text();
  return { status: res.statusCode, type: String(res.headers['content-type']), text, json: () => JSON.parse(text) };
}

async function post(url: string, body: unknown) {
  const res = await request(url, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' }, signal: AbortSignal.timeout(5000) });
  const text = await res.body.text();
  return { status: res.statusCode, json: () => JSON.parse(text) };
}

describe('paychaos serve judge (HTTP on 127.0.0.1)', () => {
  it('answers an Argo Rollouts web metric with the verdict at $.verdict', async () => {
    const server = await startJudgeServer({ config, source: resultsFilesSource(baseline, goodCanary) });
    closers.push(server.close);
    const r = await get(`${server.url}/judge`);
    expect(r.status).toBe(200);
    expect(r.json()).toMatchObject({ verdict: 'pass', pass: true, exitCode: 0, score: 100 });
  });

  it('answers 200 with verdict fail and the reasons, so Argo fails the analysis', async () => {
    const server = await startJudgeServer({ config, source: resultsFilesSource(baseline, badCanary) });
    closers.push(server.close);
    const body = (await get(`${server.url}/judge`)).json();
    expect(body).toMatchObject({ verdict: 'fail', pass: false, exitCode: 1 });
    expect(body.reasons[0]).toMatch(/critical metric error-rate is high/);
  });

  it('answers a Flagger webhook 200 on pass and 412 otherwise, so Flagger halts the rollout', async () => {
    const good = await startJudgeServer({ config, source: resultsFilesSource(baseline, goodCanary) });
    closers.push(good.close);
    const bad = await startJudgeServer({ config, source: resultsFilesSource(baseline, badCanary) });
    closers.push(bad.close);
    const payload = { name: 'checkout', namespace: 'payments', phase: 'Progressing', checksum: 'abc', metadata: {} };
    expect((await post(`${good.url}/flagger`, payload)).status).toBe(200);
    const r = await post(`${bad.url}/flagger`, payload);
    expect(r.status).toBe(412);
    expect(r.json()).toMatchObject({ verdict: 'fail', rollout: 'payments/checkout' });
  });

  it('passes Flagger metadata and query parameters through to Prometheus: window and variant labels', async () => {
    const prom: FakePrometheus = await startFakePrometheus({
      stable: { succeeded: 1970, failedByCode: { card_declined: 30 }, buckets: bucketsOf(2000, () => 0.04) },
      next: { succeeded: 1968, failedByCode: { card_declined: 32 }, buckets: bucketsOf(2000, () => 0.04) },
    });
    closers.push(prom.close);
    const server = await startJudgeServer({ config, source: prometheusSource(prom.url) });
    closers.push(server.close);
    const r = await post(`${server.url}/flagger`, { name: 'checkout', namespace: 'payments', phase: 'Progressing', metadata: { window: '3m', baseline: 'stable', canary: 'next' } });
    expect(r.status).toBe(200);
    expect(prom.queries.every((q) => q.includes('[3m]'))).toBe(true);
    const viaQuery = await get(`${server.url}/judge?window=7m&baseline=stable&canary=next`);
    expect(viaQuery.json().verdict).toBe('pass');
    expect(prom.queries.at(-1)).toContain('[7m]');
  });

  it('exports the last judgement as Prometheus text at /metrics', async () => {
    const server = await startJudgeServer({ config, source: resultsFilesSource(baseline, badCanary), labels: { rollout: 'checkout' } });
    closers.push(server.close);
    const before = await get(`${server.url}/metrics`);
    expect(before.text).toContain('paychaos_canary_judgements_total{verdict="fail"} 0');
    expect(before.text).not.toContain('paychaos_canary_score');
    await get(`${server.url}/judge`);
    const after = await get(`${server.url}/metrics`);
    expect(after.status).toBe(200);
    expect(after.type).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(after.text).toContain('paychaos_canary_judgements_total{verdict="fail"} 1');
    expect(after.text).toContain('paychaos_canary_verdict{rollout="checkout",verdict="fail"} 1');
    expect(after.text).toMatch(/paychaos_canary_metric_effect\{rollout="checkout",metric="error-rate",measure="difference_pp"\} 4\.5\n/);
  });

  it('rejects bad parameters with 400 and a coded error', async () => {
    const server = await startJudgeServer({ config, source: resultsFilesSource(baseline, goodCanary) });
    closers.push(server.close);
    const r = await get(`${server.url}/judge?window=ten&colour=blue`);
    expect(r.status).toBe(400);
    expect(r.json().error.code).toBe('PAYCHAOS_ERR_JUDGE_BAD_REQUEST');
    expect(r.json().error.message).toContain('window: expected a Prometheus duration');
    expect(r.json().error.message).toContain('colour: unknown parameter');
  });

  it('answers 502, never a verdict, when Prometheus is down', async () => {
    const prom = await startFakePrometheus({});
    await prom.close();
    const server = await startJudgeServer({ config, source: prometheusSource(prom.url) });
    closers.push(server.close);
    const r = await get(`${server.url}/judge`);
    expect(r.status).toBe(502);
    expect(r.json().error.code).toBe('PAYCHAOS_ERR_JUDGE_PROMETHEUS_UNREACHABLE');
    expect((await post(`${server.url}/flagger`, { name: 'x' })).status).toBe(502);
  });

  it('runs from the CLI until interrupted, printing where it listens', async () => {
    const io = fakeIo();
    const exit = runCli(['serve', 'judge', '--port', '0', '--baseline', baseline, '--canary', goodCanary, '--label', 'rollout=checkout'], io);
    const deadline = Date.now() + 10_000;
    while (!/serving on (http:\/\/\S+?):/.test(io.out()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    const url = /serving on (http:\/\/127\.0\.0\.1:\d+)/.exec(io.out())?.[1];
    expect(url, io.err()).toBeDefined();
    expect((await get(`${url}/healthz`)).json()).toEqual({ ok: true });
    expect((await get(`${url}/judge`)).json().verdict).toBe('pass');
    io.interrupt();
    expect(await exit).toBe(0);
    await expect(get(`${url}/healthz`)).rejects.toThrow();
  });

  it('exits 2 from the CLI on a bad flag of serve judge', async () => {
    const io = fakeIo();
    expect(await runCli(['serve', 'judge', '--port', 'x', '--prometheus', 'http://127.0.0.1:9090'], io)).toBe(2);
    expect(io.err()).toContain('--port');
    const io2 = fakeIo();
    expect(await runCli(['serve', 'judge'], io2)).toBe(2);
    expect(io2.err()).toContain('exactly one source');
  });
});
