import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildGateway, type BuiltGateway, type GatewayOptions } from '../../../gateway/index.js';
import { alipayOutTradeNo } from '../../../gateway/clients/index.js';
import { checkNoDoubleCharge } from '../../../src/analysis/index.js';
import { startAlipaySim, startStripeSim } from '../../../simulators/index.js';

/**
 * The gateway's durable state against the real simulators: keys and the order guard survive a
 * restart on the same file, and payments left pending (a timeout after sending, "charged then
 * 500", a wallet approved after the gateway stopped waiting) are settled by the recovery loop's
 * status queries — never by a second charge. The noRecovery regression is the negative control.
 */
const closers: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});
const tempDir = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'paychaos-durable-'));
  closers.push(() => rmSync(d, { recursive: true, force: true }));
  return d;
};
const gateway = (options: GatewayOptions): BuiltGateway => {
  const gw = buildGateway(options);
  closers.push(() => gw.close());
  return gw;
};

const body = (orderId: string, extra: Record<string, unknown> = {}) => ({ orderId, amount: 1000, currency: 'EUR', paymentMethod: 'pm_card_visa', ...extra });
const pay = (gw: BuiltGateway, key: string, payload: Record<string, unknown>) => gw.app.inject({ method: 'POST', url: '/payments', headers: { 'idempotency-key': key }, payload });
const captures = (entries: ReadonlyArray<{ kind: string }>) => entries.filter((e) => e.kind === 'capture').length;

/** The "every order ends terminal within its grace" check, as a run applies it, for one order. */
async function terminalWithin(gw: BuiltGateway, orderId: string, graceMs: number): Promise<{ terminal: boolean; status: string }> {
  const deadline = Date.now() + graceMs;
  for (;;) {
    const res = await gw.app.inject({ method: 'GET', url: `/payments?orderId=${orderId}` });
    const status = (res.json() as { status: string }).status;
    if (status !== 'pending') return { terminal: true, status };
    if (Date.now() > deadline) return { terminal: false, status };
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('idempotency across a restart on the same database', () => {
  it('replays a key and guards the order after the gateway is closed and started again on the file', async () => {
    const sim = await startStripeSim({ seed: 3 });
    closers.push(() => sim.close());
    const db = join(tempDir(), 'gateway.db');
    const first = buildGateway({ providers: { stripe: { url: sim.url } }, db });
    const answer = await pay(first, 'k-restart', body('R-1'));
    expect(answer.statusCode).toBe(201);
    await first.close();

    const second = gateway({ providers: { stripe: { url: sim.url } }, db });
    const replay = await pay(second, 'k-restart', body('R-1'));
    expect(replay.statusCode).toBe(201);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.json()).toEqual(answer.json());
    // A new key for the paid order: the guard, read from the file.
    const guarded = await pay(second, 'k-other', body('R-1'));
    expect(guarded.statusCode).toBe(200);
    expect(guarded.json()).toMatchObject({ paymentId: answer.json().paymentId, status: 'succeeded' });
    // Mismatch still detected from the stored fingerprint.
    expect((await pay(second, 'k-restart', body('R-1', { amount: 2000 }))).statusCode).toBe(422);
    expect(captures(sim.ledger.entries())).toBe(1);
    // Found by payment id and by order id, from the file.
    const byId = await second.app.inject({ method: 'GET', url: `/payments/${answer.json().paymentId}` });
    const byOrder = await second.app.inject({ method: 'GET', url: '/payments/R-1' });
    expect(byId.json()).toEqual(answer.json());
    expect(byOrder.json()).toEqual(answer.json());
    expect((await second.app.inject({ method: 'GET', url: '/payments/nope' })).statusCode).toBe(404);
    expect(second.store.attempts.forPayment(answer.json().paymentId)).toMatchObject([{ kind: 'charge', provider: 'stripe', outcome: 'succeeded', providerStatus: 200 }]);
    expect(second.store.ledger.unbalancedEntries()).toEqual([]);
  });
});

describe('the recovery loop', () => {
  const recovery = { intervalMs: 100, absentAfterMs: 20_000 };

  it.each([
    // undici's timers are coarse (hundreds of ms): the provider answers well after the 300 ms timeout fires.
    ['a timeout after sending', { latency: { kind: 'fixed' as const, value: 2_500 } }, 504],
    ['"charged, then 500"', { commitThenError: { rate: 1, status: 500 as const } }, 502],
  ])('settles %s as succeeded by a status query, with exactly one charge and a new key refused', async (_, profile, status) => {
    const sim = await startStripeSim({ seed: 5, profile });
    closers.push(() => sim.close());
    const gw = gateway({ providers: { stripe: { url: sim.url, timeoutMs: 300 } }, recovery });
    const first = await pay(gw, 'k-t', body('T-1'));
    expect(first.statusCode).toBe(status);
    expect(first.json()).toMatchObject({ status: 'pending' });
    const end = await terminalWithin(gw, 'T-1', 10_000);
    expect(end).toEqual({ terminal: true, status: 'succeeded' });
    // A retry under a new key is answered from the settled payment; nothing is charged again.
    expect((await pay(gw, 'k-t2', body('T-1'))).json()).toMatchObject({ status: 'succeeded' });
    expect(captures(sim.ledger.entries())).toBe(1);
    expect(checkNoDoubleCharge(sim.ledger.entries()).passed).toBe(true);
    const attempts = gw.store.attempts.forPayment(first.json().paymentId);
    expect(attempts.filter((a) => a.kind === 'charge')).toHaveLength(1);
    expect(attempts.some((a) => a.kind === 'query' && a.outcome === 'succeeded')).toBe(true);
    expect(gw.store.ledger.captured(first.json().paymentId)).toBe(1000);
  });

  it('negative control: with the noRecovery regression the same timeout stays pending past the grace, and nothing is queried', async () => {
    const sim = await startStripeSim({ seed: 5, profile: { latency: { kind: 'fixed', value: 2_500 } } });
    closers.push(() => sim.close());
    const gw = gateway({ providers: { stripe: { url: sim.url, timeoutMs: 300 } }, recovery, regression: { noRecovery: true } });
    const first = await pay(gw, 'k-n', body('N-1'));
    expect(first.statusCode).toBe(504);
    expect(await terminalWithin(gw, 'N-1', 2_000)).toEqual({ terminal: false, status: 'pending' });
    expect(gw.store.attempts.forPayment(first.json().paymentId).filter((a) => a.kind === 'query')).toEqual([]);
  });

  it('ends a wallet payment the shopper approves after the settle window as succeeded, through trade.query', async () => {
    const sim = await startAlipaySim({ seed: 8, buyerDelayMs: 1_200 });
    closers.push(() => sim.close());
    sim.behaviour.apply({ outcomes: { '10003': 1 } });
    const credentials = (await (await fetch(`${sim.url}/__sim/keys`)).json()) as Record<string, unknown>;
    const gw = gateway({ providers: { alipay: { url: sim.url, credentials, settleWithinMs: 200 } }, recovery });
    const first = await pay(gw, 'k-w', body('W-1', { provider: 'alipay', currency: 'CNY', paymentMethod: 'pm_alipay' }));
    expect(first.statusCode).toBe(202);
    expect(await terminalWithin(gw, 'W-1', 10_000)).toEqual({ terminal: true, status: 'succeeded' });
    expect(sim.ledger.byOrder(alipayOutTradeNo('W-1')).filter((e) => e.kind === 'capture')).toHaveLength(1);
  });
});

describe('resuming a key whose request died after its payment was created', () => {
  it('settles the payment by a status query when the client retries the key, without charging again', async () => {
    const sim = await startStripeSim({ seed: 13, profile: { latency: { kind: 'fixed', value: 600 } } });
    closers.push(() => sim.close());
    const db = join(tempDir(), 'gateway.db');
    // Gateway A loses its database mid-charge: its key is left at payment_created, its payment pending
    // and held by A's boot — what kill -9 leaves, without a process to kill.
    const a = buildGateway({ providers: { stripe: { url: sim.url } }, db });
    closers.push(() => a.close());
    const dying = pay(a, 'k-resume', body('P-1'));
    await new Promise((r) => setTimeout(r, 150));
    expect(a.store.keys.pointOf('k-resume')).toBe('payment_created');
    a.store.db.close();
    expect((await dying).statusCode).toBe(500);
    expect(captures(sim.ledger.entries())).toBe(1);

    // Gateway B on the same file, its loop looking at no payment (batch 0): only the retry can settle it.
    const b = gateway({ providers: { stripe: { url: sim.url } }, db, recovery: { intervalMs: 60_000, batch: 0 } });
    const resumed = await pay(b, 'k-resume', body('P-1'));
    expect(resumed.statusCode).toBe(201);
    expect(resumed.headers['idempotent-replayed']).toBe('recovered');
    expect(resumed.json()).toMatchObject({ orderId: 'P-1', status: 'succeeded' });
    // Settled by a query, not a second charge; the key now replays the settled answer.
    const attempts = b.store.attempts.forPayment(resumed.json().paymentId);
    expect(attempts.map((x) => x.kind)).toEqual(['charge', 'query']);
    const again = await pay(b, 'k-resume', body('P-1'));
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json()).toEqual(resumed.json());
    expect(captures(sim.ledger.entries())).toBe(1);
    expect(b.store.ledger.captured(resumed.json().paymentId)).toBe(1000);
  });
});
