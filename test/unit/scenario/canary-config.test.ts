import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isPaychaosError } from '../../../src/kernel/index.js';
import { DEMO_JUDGE_CONFIG, loadCanaryConfig, parseCanaryConfig } from '../../../src/scenario/index.js';
import { parseJudgeConfig } from '../../../src/analysis/index.js';

describe('canary config', () => {
  it('accepts the documented regression knobs and a judge config, and freezes the result', () => {
    const c = parseCanaryConfig({ version: '2.0.0', extraLatencyMs: 25, providerErrorRate: 0.05, providerTimeoutMs: 2000, judge: DEMO_JUDGE_CONFIG });
    expect(c).toMatchObject({ version: '2.0.0', extraLatencyMs: 25, providerErrorRate: 0.05, providerTimeoutMs: 2000 });
    expect(c.judge?.metrics.map((m) => m.name)).toEqual(['error-rate', 'error-codes', 'latency-p50']);
    expect(Object.isFrozen(c)).toBe(true);
  });

  it('reports every problem at once, each with its path', () => {
    try {
      parseCanaryConfig({ extraLatency: 5, providerErrorRate: 1.5, providerTimeoutMs: 0 });
      expect.unreachable();
    } catch (err) {
      expect(isPaychaosError(err, 'PAYCHAOS_ERR_DEMO_BAD_CANARY_CONFIG')).toBe(true);
      const message = (err as Error).message;
      for (const field of ['extraLatency', 'providerErrorRate', 'providerTimeoutMs']) expect(message).toContain(field);
    }
  });

  it('validates the embedded judge config with the judge’s own rules', () => {
    expect(() => parseCanaryConfig({ judge: { metrics: [] } })).toThrow(/metrics/);
  });

  it('reads YAML and JSON files and names the file when it is unreadable', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'paychaos-cc-'));
    await writeFile(join(dir, 'c.yaml'), 'extraLatencyMs: 10\n');
    await writeFile(join(dir, 'c.json'), '{"providerErrorRate": 0.2}');
    expect((await loadCanaryConfig(join(dir, 'c.yaml'))).extraLatencyMs).toBe(10);
    expect((await loadCanaryConfig(join(dir, 'c.json'))).providerErrorRate).toBe(0.2);
    await expect(loadCanaryConfig(join(dir, 'missing.yaml'))).rejects.toThrow(/missing\.yaml/);
  });

  it('ships a demo judge config the judge accepts', () => {
    expect(() => parseJudgeConfig(DEMO_JUDGE_CONFIG)).not.toThrow();
  });
});
