import { describe, expect, it } from 'vitest';
import { isPaychaosError } from '../../../src/kernel/index.js';
import { SIMULATOR_NAMES, isSimulatorName, startSimulator } from '../../../simulators/index.js';

describe('simulator registry', () => {
  it('lists the simulated providers', () => {
    expect(SIMULATOR_NAMES).toEqual(expect.arrayContaining(['stripe', 'adyen']));
    expect(isSimulatorName('adyen')).toBe(true);
    expect(isSimulatorName('toString')).toBe(false);
  });

  it('refuses an unknown provider with PAYCHAOS_ERR_PROVIDER_UNKNOWN, naming the known ones', async () => {
    const err = await startSimulator('bitpay').catch((e: unknown) => e);
    expect(isPaychaosError(err, 'PAYCHAOS_ERR_PROVIDER_UNKNOWN')).toBe(true);
    expect((err as Error).message).toMatch(/stripe, adyen, alipay, wechatpay, paypal, unionpay, wiremock:localwallet/);
  });

  it.each(SIMULATOR_NAMES)('starts %s on a free port of 127.0.0.1 and stops it', async (name) => {
    const sim = await startSimulator(name, { seed: 1, clockScale: 60 });
    try {
      expect(sim.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(sim.provider).toBe(name);
      expect(sim.seed).toBe(1);
      const health = (await (await fetch(`${sim.url}/__sim/health`)).json()) as { provider: string };
      expect(health.provider).toBe(name);
    } finally {
      await sim.close();
    }
  });

  it('refuses to start with an invalid profile, naming the field', async () => {
    const err = await startSimulator('stripe', { profile: { latency: { kind: 'fixed' } } }).catch((e: unknown) => e);
    expect(isPaychaosError(err, 'PAYCHAOS_ERR_SIM_BAD_PROFILE')).toBe(true);
    expect((err as Error).message).toContain('latency.value');
  });
});
