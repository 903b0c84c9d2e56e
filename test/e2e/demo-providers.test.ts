import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
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
const PROVIDERS = ['stripe', 'adyen', 'alipay', 'wechatpay', 'paypal', 'unionpay', 'wiremock:localwallet', 'wiremock:ecny', 'wiremock:cryptopay'];

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
    // Issue #15's acquirer channels ride in the same run, tagged by payment.method: iDEAL (bank_redirect)
    // answered 202 until the webhook, Apple Pay / Google Pay (wallet_card) paid at once, at both acquirers.
    const events = (await readFile(join(out, 'events.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as { type: string; provider?: string; method?: string; outcome?: string }).filter((e) => e.type === 'payment');
    for (const provider of ['stripe', 'adyen']) {
      const of = (method: string) => events.filter((e) => e.provider === provider && e.method === method);
      expect(of('bank_redirect').length, `${provider} bank_redirect`).toBeGreaterThan(0);
      expect(of('bank_redirect').every((e) => e.outcome === 'pending'), `${provider} iDEAL answered pending`).toBe(true);
      expect(of('wallet_card').filter((e) => e.outcome === 'succeeded').length, `${provider} wallet_card`).toBeGreaterThan(0);
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

  it('turns red when a release double-charges: a canary without the order guard is caught by the money invariants over the ledgers, exit 1', async () => {
    // The negative control of the test above: the same pipeline (ledgers, WireMock journal,
    // placed orders) must fail a run whose gateway charges a paid order again under a new key.
    const out = await mkdtemp(join(tmpdir(), 'paychaos-e2e-mix-'));
    const config = join(out, 'canary.yaml');
    await writeFile(config, 'skipOrderGuard: true\n');
    const run = runBuiltCli(['demo', '--mix', 'all', '--duration', '4s', '--rate', '120', '--seed', '5', '--canary-config', config, '--canary-weight', '0.5', '--out', out]);
    expect(await run.exited, run.stderr()).toBe(1);
    const results = resultsSchema.parse(JSON.parse(await readFile(join(out, 'results.json'), 'utf8')));
    const invariants = Object.fromEntries(results.invariants.map((i) => [i.name, i]));
    expect(invariants['no-double-charge']!.passed).toBe(false);
    // Every violation is a canary order charged twice (the baseline keeps its guard).
    const canaryOrders = new Set((await readFile(join(out, 'events.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as { variant?: string; orderId?: string }).filter((e) => e.variant === 'canary').map((e) => e.orderId));
    for (const v of invariants['no-double-charge']!.violations) expect(canaryOrders.has(v.orderId), v.message).toBe(true);
    expect(run.stdout()).toMatch(/no-double-charge: VIOLATED/);
  }, 60_000);

  it('exits 2 on an unknown mix, naming the flag and the choices, before starting anything', async () => {
    const run = runBuiltCli(['demo', '--mix', 'black-friday']);
    expect(await run.exited).toBe(2);
    expect(run.stderr()).toContain('--mix');
    expect(run.stderr()).toMatch(/cards.*double11.*all/);
  });
});
