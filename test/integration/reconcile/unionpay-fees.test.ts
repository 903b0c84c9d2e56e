import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildStack, checkBooks, type BuiltStack } from '../../../src/run/index.js';

/**
 * UnionPay's fee judged: its merchant discount rate is a contract setting (`stack.fees`), here
 * 0.38 % instead of the 0.6 % default, given once to the stack — the simulator's settlement report
 * charges it and the reference gateway books it. Clean, the books reconcile, fees included; a
 * report that keeps a fen more than the contract (feeOff) turns reconciliation-clean red with
 * fee-mismatch on exactly that payment.
 */
describe('UnionPay fees reconciled against a contract rate', () => {
  let stack: BuiltStack;
  let n = 0;
  beforeAll(async () => {
    const outDir = await mkdtemp(join(tmpdir(), 'paychaos-unionpay-fees-'));
    stack = await buildStack(
      { providers: ['unionpay'], seed: 9, fees: { unionpay: { bps: 38 } }, systems: [{ variant: 'baseline', mode: 'in-process', config: { variant: 'baseline', version: 'test' } }] },
      { runId: 'unionpay-fees-test', outDir },
    );
  }, 60_000);
  afterAll(async () => {
    await stack?.close();
  });

  const gateway = () => stack.systems.baseline!.url;
  const pay = async (amount: number) => {
    const orderId = `upfee-${++n}`;
    const res = await request(`${gateway()}/payments`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': `key-${orderId}` },
      body: JSON.stringify({ orderId, amount, currency: 'CNY', paymentMethod: 'pm_card_unionpay', provider: 'unionpay' }),
    });
    const body = (await res.body.json()) as { paymentId: string; status: string };
    expect(body.status).toBe('succeeded');
    return { orderId, paymentId: body.paymentId };
  };
  const behave = async (profile: unknown) => {
    const res = await request(`${stack.providers.providers.unionpay!.directUrl}/__sim/behaviour`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(profile) });
    expect(res.statusCode).toBe(200);
    await res.body.dump();
  };

  it('books the contract rate with each capture and returns its share with a refund, and reconciles clean, fees judged', async () => {
    const a = await pay(10_000);
    await pay(2_500);
    const refund = await request(`${gateway()}/payments/${a.paymentId}/refunds`, { method: 'POST', headers: { 'content-type': 'application/json', 'idempotency-key': `r-${a.paymentId}` }, body: JSON.stringify({ amount: 5_000 }) });
    expect(refund.statusCode).toBeLessThan(300);
    await refund.body.dump();
    const ledger = (await (await request(`${gateway()}/ledger`)).body.json()) as { entries: Array<{ kind: string; amount: number; fee?: number }> };
    // 0.38 %, half up: 38 on 100 yuan, 9.5 → 10 on 25 yuan; half the first's given back with its refund.
    expect(ledger.entries.map((e) => [e.kind, e.amount, e.fee])).toEqual([
      ['capture', 10_000, 38],
      ['capture', 2_500, 10],
      ['refund', 5_000, -19],
    ]);
    const { reconciliation } = await checkBooks(stack.providers.providers, stack.systems);
    expect(reconciliation).toMatchObject({ name: 'reconciliation-clean', passed: true, checked: 2, violations: [] });
  }, 30_000);

  it('turns red with fee-mismatch on the payment whose line keeps more than the contract (feeOff), and on no other', async () => {
    await behave({ settlement: { feeOff: { share: 1, byMinor: 1 } } });
    const spoilt = await pay(4_000);
    await behave({});
    const clean = await pay(4_000);
    const { reconciliation } = await checkBooks(stack.providers.providers, stack.systems);
    expect(reconciliation.passed).toBe(false);
    expect(reconciliation.violations).toHaveLength(1);
    expect(reconciliation.violations[0]).toMatchObject({ provider: 'unionpay', orderId: spoilt.orderId });
    expect(reconciliation.violations[0]!.message).toMatch(/^fee-mismatch: /);
    expect(reconciliation.violations.map((v) => v.orderId)).not.toContain(clean.orderId);
  }, 30_000);
});
