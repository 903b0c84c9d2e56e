import { execFileSync } from 'node:child_process';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startProviderStack, type StartedProviderStack } from '../../../src/stack/index.js';
import { isListening, portOf } from '../../helpers/ports.js';

const hasJava = (() => {
  try {
    execFileSync('java', ['-version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
if (!hasJava) console.warn('skipping the WireMock half of the provider-stack test: no `java` on PATH (apt-get install openjdk-17-jre-headless)');

const providers = hasJava ? ['stripe', 'wiremock:localwallet'] : ['stripe'];

describe('a provider stack: native and WireMock simulators behind the same Toxiproxy proxies', () => {
  let stack: StartedProviderStack;
  beforeAll(async () => {
    stack = await startProviderStack({ providers, seed: 1 });
  }, 60_000);
  afterAll(async () => {
    await stack?.close();
  });

  it('serves every provider through its own proxy, never the simulator port', async () => {
    const stripe = stack.providers.stripe!;
    expect(stripe.url).not.toBe(stripe.directUrl);
    const res = await request(`${stripe.url}/__sim/health`);
    expect(res.statusCode).toBe(200);
    expect(await res.body.json()).toMatchObject({ ok: true });
    expect(Object.keys(stack.addresses())).toEqual(expect.arrayContaining(['toxiproxy', 'stripe']));
  });

  it.skipIf(!hasJava)('puts a network fault on the WireMock provider exactly as on a native one', async () => {
    const wallet = stack.providers['wiremock:localwallet']!;
    expect(wallet.proxy).toBe('wiremock_localwallet');
    const timed = async (): Promise<number> => {
      const started = performance.now();
      const res = await request(`${wallet.url}/v1/status`);
      expect(res.statusCode).toBe(200);
      await res.body.dump();
      return performance.now() - started;
    };
    await timed(); // warm: WireMock's first answer is slow (JIT), which would hide the toxic
    const before = await timed();
    const fault = await stack.chaos.applyFault({ type: 'latency', target: wallet.proxy, latencyMs: 300 });
    const during = await timed();
    await fault.remove();
    // 300 ms of downstream latency: the answer takes at least that (less 10 ms of timer slack).
    expect(during).toBeGreaterThan(290);
    expect(during).toBeGreaterThan(before + 200);
    // And the native provider, on its own proxy, is untouched by it.
    const started = performance.now();
    await (await request(`${stack.providers.stripe!.url}/__sim/health`)).body.dump();
    expect(performance.now() - started).toBeLessThan(250);
  });

  it('closes every simulator, proxy and the embedded Toxiproxy', async () => {
    const urls = [...Object.values(stack.providers).flatMap((p) => [p.url, p.directUrl]), stack.chaos.url];
    await stack.close();
    for (const url of urls) expect(await isListening(portOf(url)), url).toBe(false);
  });
});
