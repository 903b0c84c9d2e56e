import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../src/cli/run.js';
import { fakeIo, printedUrl } from '../../helpers/fake-io.js';

async function profileFile(name: string, text: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'paychaos-sim-'));
  const path = join(dir, name);
  await writeFile(path, text);
  return path;
}

describe('paychaos sim', () => {
  it('serves the Stripe simulator on 127.0.0.1 until interrupted, then exits 0', async () => {
    const io = fakeIo();
    const run = runCli(['sim', 'stripe', '--seed', '7'], io);
    const url = await printedUrl(io);
    expect(io.out()).toContain('(seed 7)');
    const res = await fetch(`${url}/v1/payment_intents`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'amount=100&currency=usd&payment_method=pm_card_visa&confirm=true' });
    expect(((await res.json()) as { status: string }).status).toBe('succeeded');
    io.interrupt('SIGTERM');
    expect(await run).toBe(0);
    await expect(fetch(`${url}/__sim/health`)).rejects.toThrow();
  });

  it('starts the Adyen simulator with a YAML profile applied', async () => {
    const path = await profileFile('p.yaml', 'outcomes:\n  "12": 1\n');
    const io = fakeIo();
    const run = runCli(['sim', 'adyen', '--profile', path, '--port', '0'], io);
    const url = await printedUrl(io);
    const behaviour = (await (await fetch(`${url}/__sim/behaviour`)).json()) as { profile: { outcomes: Record<string, number> } };
    expect(behaviour.profile.outcomes).toEqual({ '12': 1 });
    io.interrupt();
    expect(await run).toBe(0);
  });

  it('starts Adyen with --api-key: a request without that x-api-key is 401 in Adyen\'s shape, with it the payment goes through', async () => {
    const io = fakeIo();
    const run = runCli(['sim', 'adyen', '--api-key', 'AQE_cli_key'], io);
    const url = await printedUrl(io);
    const body = JSON.stringify({ merchantAccount: 'PaychaosECOM', amount: { value: 100, currency: 'EUR' }, reference: 'ord_cli', paymentMethod: { type: 'scheme', number: '4111111111111111', expiryMonth: '03', expiryYear: '2030', cvc: '737' } });
    for (const key of [undefined, 'AQE_wrong']) {
      const denied = await fetch(`${url}/v71/payments`, { method: 'POST', headers: { 'content-type': 'application/json', ...(key ? { 'x-api-key': key } : {}) }, body });
      expect(denied.status).toBe(401);
      expect(await denied.json()).toEqual({ status: 401, errorCode: '000', message: 'HTTP Status Response - Unauthorized', errorType: 'security' });
    }
    const paid = await fetch(`${url}/v71/payments`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': 'AQE_cli_key' }, body });
    expect(((await paid.json()) as { resultCode: string }).resultCode).toBe('Authorised');
    io.interrupt();
    expect(await run).toBe(0);
  });

  it('refuses --api-key for a provider without keys, and an empty key, naming the flag', async () => {
    for (const [args, message] of [
      [['sim', 'alipay', '--api-key', 'k'], /--api-key: alipay .*stripe, adyen/],
      [['sim', 'adyen', '--api-key', ' '], /--api-key: empty/],
    ] as const) {
      const io = fakeIo();
      expect(await runCli([...args], io)).toBe(2);
      expect(io.err()).toContain('PAYCHAOS_ERR_CLI_BAD_FLAG');
      expect(io.err()).toMatch(message);
    }
  });

  it('refuses --shopper-approves for a provider without a shopper step, naming the flag and the wallets', async () => {
    const io = fakeIo();
    // (Stripe has one since its iDEAL and GrabPay shoppers: issue #15.)
    expect(await runCli(['sim', 'unionpay', '--shopper-approves', '1s'], io)).toBe(2);
    expect(io.err()).toContain('PAYCHAOS_ERR_CLI_BAD_FLAG');
    expect(io.err()).toMatch(/--shopper-approves: unionpay .*stripe, adyen, alipay, wechatpay, paypal/);
  });

  it('exits 2 with PAYCHAOS_ERR_PROVIDER_UNKNOWN for a provider it does not know', async () => {
    const io = fakeIo();
    expect(await runCli(['sim', 'bitpay'], io)).toBe(2);
    expect(io.err()).toContain('PAYCHAOS_ERR_PROVIDER_UNKNOWN');
    expect(io.err()).toContain('bitpay');
    expect(io.err()).toMatch(/stripe, adyen/);
  });

  it('exits 2 with PAYCHAOS_ERR_SIM_BAD_PROFILE naming every field at fault', async () => {
    const path = await profileFile('bad.json', JSON.stringify({ outcomes: { not_a_code: 0.5 }, webhooks: { drop: 3 }, surprise: true }));
    const io = fakeIo();
    expect(await runCli(['sim', 'stripe', '--profile', path], io)).toBe(2);
    expect(io.err()).toContain('PAYCHAOS_ERR_SIM_BAD_PROFILE');
    for (const field of ['outcomes.not_a_code', 'webhooks.drop', 'surprise']) expect(io.err()).toContain(field);
  });

  it('exits 2 when the profile file is missing or not JSON/YAML', async () => {
    const missing = fakeIo();
    expect(await runCli(['sim', 'stripe', '--profile', '/nonexistent/profile.json'], missing)).toBe(2);
    expect(missing.err()).toContain('PAYCHAOS_ERR_SIM_BAD_PROFILE');
    const garbled = fakeIo();
    expect(await runCli(['sim', 'stripe', '--profile', await profileFile('x.json', '{ "outcomes": [')], garbled)).toBe(2);
    expect(garbled.err()).toContain('PAYCHAOS_ERR_SIM_BAD_PROFILE');
  });

  it('exits 2 on a bad --port or --seed, naming the flag', async () => {
    for (const [flag, value] of [['--port', '70000'], ['--seed', '-1'], ['--clock-scale', '0']] as const) {
      const io = fakeIo();
      expect(await runCli(['sim', 'stripe', flag, value], io)).toBe(2);
      expect(io.err()).toContain(flag);
    }
  });
});
