import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildStack, checkBooks, type BuiltStack } from '../../../src/run/index.js';

/**
 * reconciliation-clean end to end, below a full run: the reference gateway charges through the
 * Stripe and Alipay simulators behind their proxies, then its books (GET /ledger) are reconciled
 * with each simulator's settlement report (version 2). Clean, it holds; each settlement fault,
 * switched on for the payments it should spoil, turns it red with its own kind — the negative
 * controls of the invariant.
 *
 * The simulators run a day per real second (clockScale 86,400), so Stripe's T+2 and Alipay's T+1
 * elapse within a test: the reconciliation waits for the last cycle, in simulated time, and reads
 * a file that holds every line; asked without waiting, the same movements are not yet due.
 */
const DAY_PER_SECOND = 86_400;
describe('reconciliation of the gateway against the simulators', () => {
  let stack: BuiltStack;
  let n = 0;
  beforeAll(async () => {
    const outDir = await mkdtemp(join(tmpdir(), 'paychaos-reconcile-'));
    stack = await buildStack(
      { providers: ['stripe', 'alipay'], seed: 5, simulator: { shopperApprovesAfterMs: 20, clockScale: DAY_PER_SECOND }, systems: [{ variant: 'baseline', mode: 'in-process', config: { variant: 'baseline', version: 'test' } }] },
      { runId: 'reconcile-test', outDir },
    );
  }, 60_000);
  afterAll(async () => {
    await stack?.close();
  });

  const gateway = () => stack.systems.baseline!.url;
  const pay = async (provider: 'stripe' | 'alipay', amount = 1250) => {
    const orderId = `recon-${provider}-${++n}`;
    const res = await request(`${gateway()}/payments`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': `key-${orderId}` },
      body: JSON.stringify({ orderId, amount, currency: provider === 'alipay' ? 'CNY' : 'EUR', paymentMethod: provider === 'alipay' ? 'pm_alipay' : 'pm_card_visa', provider }),
    });
    const body = (await res.body.json()) as { paymentId: string; status: string };
    expect(body.status).toBe('succeeded');
    return { orderId, paymentId: body.paymentId };
  };
  const refund = async (paymentId: string, amount: number) => {
    const res = await request(`${gateway()}/payments/${paymentId}/refunds`, { method: 'POST', headers: { 'content-type': 'application/json', 'idempotency-key': `r-${paymentId}-${amount}` }, body: JSON.stringify({ amount }) });
    expect(res.statusCode).toBeLessThan(300);
    await res.body.dump();
  };
  const behave = async (provider: string, profile: unknown) => {
    const res = await request(`${stack.providers.providers[provider]!.directUrl}/__sim/behaviour`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(profile) });
    expect(res.statusCode).toBe(200);
    await res.body.dump();
  };
  const check = () => checkBooks(stack.providers.providers, stack.systems, { clockScale: DAY_PER_SECOND });
  /** The statement now, without waiting for any cycle. */
  const checkNow = () => checkBooks(stack.providers.providers, stack.systems, { clockScale: DAY_PER_SECOND, cycleWaitMs: 0 });
  const rowOf = async (read: typeof check, orderId: string) => (await read()).statement!.rows.find((r) => r.orderId === orderId)!;

  it('exports the books and finds them clean against both providers, refunds included', async () => {
    const a = await pay('stripe');
    await pay('alipay', 990);
    const b = await pay('alipay', 2000);
    await refund(a.paymentId, 250);
    await refund(b.paymentId, 500);
    const ledger = (await (await request(`${gateway()}/ledger`)).body.json()) as { entries: Array<{ kind: string; provider: string; amount: number; lines: unknown[] }> };
    expect(ledger.entries.map((e) => [e.provider, e.kind, e.amount])).toEqual([
      ['stripe', 'capture', 1250],
      ['alipay', 'capture', 990],
      ['alipay', 'capture', 2000],
      ['stripe', 'refund', 250],
      ['alipay', 'refund', 500],
    ]);
    const { reconciliation, balances } = await check();
    expect(reconciliation).toMatchObject({ name: 'reconciliation-clean', passed: true, checked: 3, violations: [] });
    expect(balances).toMatchObject({ name: 'ledger-balances', passed: true, checked: 5 });
  }, 30_000);

  it('lists a movement once its day has come on the provider\'s clock: not yet due before (with the day), matched after, never missing', async () => {
    const a = await pay('stripe', 1300);
    const b = await pay('alipay', 1700);
    const early = await checkNow();
    const notYet = (orderId: string) => early.statement!.rows.find((r) => r.orderId === orderId)!;
    // Stripe pays out two days after the charge's UTC day, Alipay the day after its Beijing day: neither has come a moment later.
    for (const [orderId, movement] of [[a.orderId, 'capture'], [b.orderId, 'capture']] as const) {
      expect(notYet(orderId)).toMatchObject({ status: ['not-yet-due'], mismatches: [], theirCaptured: 0, notYetDue: [{ movement, amount: orderId === a.orderId ? 1300 : 1700 }] });
      expect(notYet(orderId).notYetDue![0]!.message).toMatch(/: not yet due, settles \d{4}-\d{2}-\d{2}$/);
    }
    expect(early.reconciliation.violations.map((v) => v.orderId)).not.toContain(a.orderId);
    // Waiting (≈ 2 real seconds: two simulated days) brings both lines into the file.
    const started = Date.now();
    expect(await rowOf(check, a.orderId)).toMatchObject({ status: ['matched'], theirCaptured: 1300 });
    expect(await rowOf(checkNow, b.orderId)).toMatchObject({ status: ['matched'], theirCaptured: 1700 });
    expect(Date.now() - started).toBeLessThan(8_000);
  }, 30_000);

  it('narrows the export by provider and booking time, and names a bad time field with a coded 400', async () => {
    const all = (await (await request(`${gateway()}/ledger`)).body.json()) as { entries: Array<{ provider: string; bookedAt: string }> };
    const alipay = (await (await request(`${gateway()}/ledger?provider=alipay`)).body.json()) as { entries: Array<{ provider: string }> };
    expect(alipay.entries.length).toBeGreaterThan(0);
    expect(alipay.entries.every((e) => e.provider === 'alipay')).toBe(true);
    const future = (await (await request(`${gateway()}/ledger?since=2999-01-01T00:00:00Z`)).body.json()) as { entries: unknown[] };
    expect([all.entries.length > 0, future.entries]).toEqual([true, []]);
    const bad = await request(`${gateway()}/ledger?until=tomorrow`);
    expect(bad.statusCode).toBe(400);
    expect(((await bad.body.json()) as { error: { code: string; message: string } }).error).toMatchObject({ code: 'PAYCHAOS_ERR_GATEWAY_BAD_REQUEST', message: expect.stringMatching(/^until: /) });
  });

  it.each([
    ['missingLine', { missingLine: 1 }, 'missing-theirs'],
    ['duplicateLine', { duplicateLine: 1 }, 'duplicate'],
    ['amountOff', { amountOff: { share: 1, byMinor: -7 } }, 'amount-mismatch'],
    ['late', { late: { share: 1, by: '72h' } }, 'missing-theirs'],
  ])('turns red when the settlement report has the fault %s, naming the spoilt payment; a payment made without it still reconciles', async (_name, settlement, kind) => {
    // The ledger is append-only, so earlier cases' spoilt payments stay spoilt: judge what this case adds.
    const before = new Set((await check()).reconciliation.violations.map((v) => v.orderId));
    await behave('stripe', { settlement });
    const spoilt = await pay('stripe');
    await behave('stripe', {});
    const clean = await pay('stripe');
    const { reconciliation } = await check();
    expect(reconciliation.passed).toBe(false);
    const added = reconciliation.violations.filter((v) => !before.has(v.orderId));
    expect(added).toHaveLength(1);
    expect(added[0]).toMatchObject({ provider: 'stripe', orderId: spoilt.orderId });
    expect(added[0]!.message).toMatch(new RegExp(`^${kind}: `));
    expect(reconciliation.violations.map((v) => v.orderId)).not.toContain(clean.orderId);
  }, 30_000);
});
