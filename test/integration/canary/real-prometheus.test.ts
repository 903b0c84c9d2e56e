import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_JUDGE_CONFIG, judge, parseJudgeConfig } from '../../../src/analysis/index.js';
import { inputsFromPrometheus, queryPrometheus } from '../../../src/judge/index.js';

/**
 * The judge's default PromQL against a real Prometheus (Debian's 2.42: `apt-get install
 * --no-install-recommends prometheus`), scraping a small exporter every second. Skipped, with
 * the reason printed, where the binary is absent.
 */
const PROMETHEUS = process.env.PROMETHEUS_BIN ?? '/usr/bin/prometheus';
const available = existsSync(PROMETHEUS);
if (!available) console.warn(`[skip] real Prometheus tests: ${PROMETHEUS} not found (apt-get install --no-install-recommends prometheus, or set PROMETHEUS_BIN)`);

/** A label value with every character PromQL strings must escape: quotes, a backslash, a newline. */
const ODD = 'canary "odd" \\ one\nline';

/** A label value as the text exposition format writes it. */
const label = (v: string): string => v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');

/** Requests per second and error codes per variant; counters grow with time since start. */
const TRAFFIC: Record<string, { rate: number; errors: Record<string, number>; latencyS: number }> = {
  baseline: { rate: 4000, errors: { card_declined: 0.01, insufficient_funds: 0.005 }, latencyS: 0.04 },
  'canary-good': { rate: 4000, errors: { card_declined: 0.01, insufficient_funds: 0.005 }, latencyS: 0.04 },
  'canary-bad': { rate: 4000, errors: { card_declined: 0.01, insufficient_funds: 0.005, provider_error: 0.06 }, latencyS: 0.04 },
  [ODD]: { rate: 4000, errors: { card_declined: 0.01, insufficient_funds: 0.005 }, latencyS: 0.04 },
};
const BOUNDS = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1];

function exposition(elapsedS: number): string {
  const lines = ['# TYPE payment_requests_total counter', '# TYPE payment_duration_seconds histogram'];
  const hist: string[] = [];
  for (const [variant, t] of Object.entries(TRAFFIC)) {
    const total = Math.floor(t.rate * elapsedS);
    let failed = 0;
    const v = label(variant);
    for (const [code, share] of Object.entries(t.errors)) {
      const n = Math.floor(total * share);
      failed += n;
      lines.push(`payment_requests_total{paychaos_variant="${v}",payment_outcome="failed",payment_error_code="${code}"} ${n}`);
    }
    lines.push(`payment_requests_total{paychaos_variant="${v}",payment_outcome="succeeded",payment_error_code=""} ${total - failed}`);
    // Latencies spread evenly over [0.5, 1.5] × latencyS.
    for (const le of BOUNDS) {
      const share = Math.min(1, Math.max(0, (le / t.latencyS - 0.5) / 1));
      hist.push(`payment_duration_seconds_bucket{paychaos_variant="${v}",le="${le}"} ${Math.floor(total * share)}`);
    }
    hist.push(`payment_duration_seconds_bucket{paychaos_variant="${v}",le="+Inf"} ${total}`);
    hist.push(`payment_duration_seconds_count{paychaos_variant="${v}"} ${total}`);
    hist.push(`payment_duration_seconds_sum{paychaos_variant="${v}"} ${total * t.latencyS}`);
  }
  return `${[...lines, ...hist].join('\n')}\n`;
}

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

describe.skipIf(!available)('the judge against a real Prometheus', () => {
  let exporter: Server;
  let prometheus: ChildProcess;
  let dir: string;
  let url: string;
  let log = '';

  beforeAll(async () => {
    const started = Date.now();
    exporter = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
      res.end(exposition((Date.now() - started) / 1000));
    });
    await new Promise<void>((r) => exporter.listen(0, '127.0.0.1', r));
    const exporterPort = (exporter.address() as AddressInfo).port;
    dir = await mkdtemp(join(tmpdir(), 'paychaos-prom-'));
    await writeFile(
      join(dir, 'prometheus.yml'),
      `global: { scrape_interval: 1s, evaluation_interval: 1s }\nscrape_configs:\n  - job_name: payments\n    static_configs: [{ targets: ['127.0.0.1:${exporterPort}'] }]\n`,
    );
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    prometheus = spawn(PROMETHEUS, [`--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    prometheus.stderr?.on('data', (b: Buffer) => void (log = (log + b.toString()).slice(-4000)));
    // Ready once every variant's counters have two scrapes in the window (increase() needs two points).
    const deadline = Date.now() + 20_000;
    for (;;) {
      const v = await queryPrometheus(url, 'count(count_over_time(payment_requests_total{paychaos_variant="canary-bad"}[1m]) >= 3)', { timeoutMs: 1000 }).catch(() => []);
      if (v.length > 0) break;
      if (Date.now() > deadline) throw new Error(`Prometheus never had data:\n${log}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }, 30_000);

  afterAll(async () => {
    if (prometheus && prometheus.exitCode === null) {
      const exited = new Promise((r) => prometheus.once('exit', r));
      prometheus.kill('SIGTERM');
      await exited;
    }
    await new Promise<void>((r) => (exporter ? exporter.close(() => r()) : r()));
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const config = parseJudgeConfig(DEFAULT_JUDGE_CONFIG);

  it('passes a canary whose series match the baseline', async () => {
    const report = judge(config, await inputsFromPrometheus(config, { url, window: '1m', canary: 'canary-good' }));
    expect(report.metrics.map((m) => m.classification), JSON.stringify(report.reasons)).toEqual(['pass', 'pass', 'pass']);
    expect(report.verdict).toBe('pass');
  });

  it('fails a canary with 6 pp more provider errors, naming the code that moved', async () => {
    const report = judge(config, await inputsFromPrometheus(config, { url, window: '1m', canary: 'canary-bad' }));
    expect(report.verdict).toBe('fail');
    expect(report.metrics.find((m) => m.name === 'error-rate')?.classification).toBe('high');
    const codes = report.metrics.find((m) => m.name === 'error-codes');
    expect(codes?.classification).toBe('high');
    expect(codes?.effect).toMatchObject({ moved: expect.arrayContaining(['provider_error']) });
  });

  it('finds a canary whose label value holds quotes, a backslash and a newline: escaped, it is one label value', async () => {
    const report = judge(config, await inputsFromPrometheus(config, { url, window: '1m', canary: ODD }));
    expect(report.metrics.map((m) => m.classification), JSON.stringify(report.reasons)).toEqual(['pass', 'pass', 'pass']);
  });

  it('queries an injection attempt as a label value nobody has: no data, not a changed query', async () => {
    const report = judge(config, await inputsFromPrometheus(config, { url, window: '1m', canary: 'x"} or payment_requests_total{paychaos_variant="baseline' }));
    expect(report.metrics.map((m) => m.classification)).toEqual(['nodata', 'nodata', 'nodata']);
    expect(report.verdict).toBe('inconclusive');
  });

  it('is inconclusive for a canary label Prometheus has never seen', async () => {
    const report = judge(config, await inputsFromPrometheus(config, { url, window: '1m', canary: 'not-deployed' }));
    expect(report.verdict).toBe('inconclusive');
  });
});
