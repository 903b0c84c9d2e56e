import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resultsSchema } from '../../src/report/index.js';
import { runBuiltCli } from '../helpers/cli-process.js';
import { isListening, portOf } from '../helpers/ports.js';

/**
 * `paychaos demo --mix all`: every native simulator and the WireMock-described localwallet (a
 * real JVM) behind the embedded Toxiproxy, one gateway routing each shopper to its provider, and
 * every provider's traffic in the same results — checked against every provider's ledger.
 */
const PROVIDERS = ['stripe', 'adyen', 'alipay', 'wechatpay', 'paypal', 'wiremock:localwallet'];

describe('paychaos demo --mix all (built CLI, child process)', () => {
  it('drives every provider through its proxy and reports each in results, with both money invariants held over every ledger', async () => {
    const out = await mkdtemp(join(tmpdir(), 'paychaos-e2e-mix-'));
    const run = runBuiltCli(['demo', '--mix', 'all', '--duration', '4s', '--rate', '80', '--seed', '5', '--out', out]);
    const code = await run.exited;
    expect(code, run.stderr()).toBe(0);

    const results = resultsSchema.parse(JSON.parse(await readFile(join(out, 'results.json'), 'utf8')));
    const byProvider = results.variants.baseline!.byProvider;
    expect(Object.keys(byProvider).sort()).toEqual([...PROVIDERS].sort());
    for (const p of PROVIDERS) {
      expect(byProvider[p]!.requests, p).toBeGreaterThan(0);
      expect(byProvider[p]!.succeeded, p).toBeGreaterThan(0);
    }
    const invariants = Object.fromEntries(results.invariants.map((i) => [i.name, i]));
    expect(invariants['no-double-charge']).toMatchObject({ passed: true });
    expect(invariants['captures-within-orders']).toMatchObject({ passed: true });
    // Money moved at every provider, and every charge was judged (ledgers read, WireMock's from its journal).
    const succeeded = PROVIDERS.reduce((n, p) => n + byProvider[p]!.succeeded, 0);
    expect(invariants['captures-within-orders']!.checked).toBeGreaterThan(succeeded * 0.8);

    // Every provider stood behind its own proxy; afterwards nothing listens, the JVM included.
    const stack = JSON.parse(await readFile(join(out, 'stack.json'), 'utf8')) as { parts: Record<string, string> };
    for (const p of PROVIDERS) {
      expect(stack.parts[p], p).toBeDefined();
      expect(stack.parts[`${p} (direct)`], p).toBeDefined();
      expect(stack.parts[p]).not.toBe(stack.parts[`${p} (direct)`]);
    }
    for (const url of Object.values(stack.parts)) expect(await isListening(portOf(url)), url).toBe(false);
  }, 60_000);

  it('exits 2 on an unknown mix, naming the flag and the choices, before starting anything', async () => {
    const run = runBuiltCli(['demo', '--mix', 'black-friday']);
    expect(await run.exited).toBe(2);
    expect(run.stderr()).toContain('--mix');
    expect(run.stderr()).toMatch(/cards.*double11.*all/);
  });
});
