import { describe, expect, it } from 'vitest';
import { parseSettlement } from '../../../src/analysis/index.js';
import { runCli } from '../../../src/cli/run.js';
import { fakeIo, printedUrl } from '../../helpers/fake-io.js';

/** `paychaos sim stripe` with `flags`, one 100.00 USD charge: the fee its settlement report states for it. */
async function feeCharged(flags: string[]): Promise<number> {
  const io = fakeIo();
  const run = runCli(['sim', 'stripe', '--port', '0', '--log-level', 'silent', ...flags], io);
  try {
    const url = await printedUrl(io);
    const paid = await fetch(`${url}/v1/payment_intents`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'amount=10000&currency=usd&payment_method=pm_card_visa&confirm=true&metadata[order_id]=ord_fee' });
    expect(((await paid.json()) as { status: string }).status).toBe('succeeded');
    const csv = await (await fetch(`${url}/__sim/settlement.csv?version=2&asOf=2100-01-01T00:00:00Z`)).text();
    const lines = parseSettlement(csv, 'stripe.csv').filter((l) => l.kind === 'capture');
    expect(lines).toHaveLength(1);
    return lines[0]!.fee;
  } finally {
    io.interrupt();
    expect(await run).toBe(0);
  }
}

describe('paychaos sim --fee-bps / --fee-fixed', () => {
  it("charges the contract rate in the settlement report: 2.50 % + 0.25 of 100.00 is 2.75; without the flags, Stripe's list price 2.9 % + 0.30 (3.20)", async () => {
    expect(await feeCharged(['--fee-bps', '250', '--fee-fixed', '0.25'])).toBe(275);
    expect(await feeCharged(['--fee-bps', '38'])).toBe(38);
    expect(await feeCharged([])).toBe(320);
  });

  it.each([
    [['--fee-bps', 'abc'], '--fee-bps'],
    [['--fee-bps', '2.5'], '--fee-bps'],
    [['--fee-bps', '-1'], '--fee-bps'],
    [['--fee-bps', '10001'], '--fee-bps'],
    [['--fee-bps', '250', '--fee-fixed', '0.255'], '--fee-fixed'],
    [['--fee-bps', '250', '--fee-fixed', 'x'], '--fee-fixed'],
    [['--fee-fixed', '0.30'], '--fee-fixed'],
  ])('refuses %j with exit 2, PAYCHAOS_ERR_CLI_BAD_FLAG, naming %s; nothing starts', async (flags, flag) => {
    const io = fakeIo();
    expect(await runCli(['sim', 'stripe', '--port', '0', ...flags], io)).toBe(2);
    expect(io.err()).toContain('code: PAYCHAOS_ERR_CLI_BAD_FLAG');
    expect(io.err()).toContain(flag);
    expect(io.out()).not.toContain('simulator on');
  });

  it('refuses a rate for a provider whose fees are not modelled, naming it', async () => {
    const io = fakeIo();
    expect(await runCli(['sim', 'wiremock:ecny', '--port', '0', '--fee-bps', '38'], io)).toBe(2);
    expect(io.err()).toContain('code: PAYCHAOS_ERR_CLI_BAD_FLAG');
    expect(io.err()).toMatch(/--fee-bps: no fees to set for wiremock:ecny/);
  });
});
