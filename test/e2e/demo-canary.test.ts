import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resultsSchema } from '../../src/report/index.js';
import { runBuiltCli } from '../helpers/cli-process.js';

const tmp = () => mkdtemp(join(tmpdir(), 'paychaos-canary-'));

// Seed 1: the shopper mixes sent to the two variants differ by < 1 pp in declines, so what
// separates them is the regression (+15 pp provider errors, +40 ms), not the draw. 80/s for 8 s
// (≈ 320 shoppers a variant): at 150/s two gateways, a proxy and a simulator sharing the CI
// machine's two cores with another test file queued for hundreds of ms — one gateway's queue
// then posed as a regression, or hid the +40 ms one.
async function demo(args: string[]): Promise<{ code: number; stdout: string; stderr: string; out: string }> {
  const out = await tmp();
  const run = runBuiltCli(['demo', '--duration', '8s', '--rate', '80', '--canary-weight', '0.5', '--seed', '1', '--out', out, ...args]);
  const code = await run.exited;
  return { code, stdout: run.stdout(), stderr: run.stderr(), out };
}

describe('paychaos demo --canary (built CLI)', () => {
  it('passes a canary that runs the same code as the baseline (--canary-weight alone asks for the canary)', async () => {
    const r = await demo([]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain('canary     PASS');
    const results = resultsSchema.parse(JSON.parse(await readFile(join(r.out, 'results.json'), 'utf8')));
    expect(results.variants.baseline!.requests).toBeGreaterThan(250);
    expect(results.variants.canary!.requests).toBeGreaterThan(250);
    expect(results.canary).toMatchObject({ verdict: 'pass' });
    expect(results.stack).toHaveProperty('gateway-canary');
  });

  it('fails a canary carrying a real regression, names the metrics that caught it, and exits 1', async () => {
    const dir = await tmp();
    const config = join(dir, 'canary.yaml');
    await writeFile(config, 'version: 2.0.0-rc1\nextraLatencyMs: 40\nproviderErrorRate: 0.15\n');
    const r = await demo(['--canary-config', config]);
    expect(r.code, r.stdout + r.stderr).toBe(1);
    expect(r.stdout).toContain('canary     FAIL');
    const results = resultsSchema.parse(JSON.parse(await readFile(join(r.out, 'results.json'), 'utf8')));
    const report = results.canary!;
    expect(report.verdict).toBe('fail');
    const byName = Object.fromEntries(report.metrics.map((m) => [m.name, m.classification]));
    expect(byName['error-rate']).toBe('high');
    expect(byName['latency-p50']).toBe('high');
    expect(results.variants.canary!.errorCodes.provider_error).toBeGreaterThan(results.variants.baseline!.errorCodes.provider_error ?? 0);
  });

  it('rejects a canary config with an unknown key, naming it, before starting anything', async () => {
    const dir = await tmp();
    const config = join(dir, 'canary.yaml');
    await writeFile(config, 'extraLatency: 40\nproviderErrorRate: 2\n');
    const run = runBuiltCli(['demo', '--duration', '1s', '--canary-config', config, '--out', dir]);
    expect(await run.exited).toBe(2);
    expect(run.stderr()).toContain('PAYCHAOS_ERR_DEMO_BAD_CANARY_CONFIG');
    expect(run.stderr()).toContain('extraLatency');
    expect(run.stderr()).toContain('providerErrorRate');
  });
});
