import { afterEach, describe, expect, it } from 'vitest';
import { parseSettlement, reconcile } from '../../../../src/analysis/index.js';
import { scaledClock } from '../../../../src/kernel/index.js';
import { buildPaypalSim, type PaypalSim } from '../../../../simulators/paypal/index.js';
import { buildStripeSim, type StripeSim } from '../../../../simulators/stripe/index.js';

/**
 * A scenario's timeScale: the simulator's clock runs `scale` times faster than the wall clock the
 * ledger stamps with. A report's transaction time and its settlement day must be on one calendar
 * (simulators/core/settlement-due.ts: the ledger's times through Clock.fromReal).
 */
const T0 = Date.parse('2026-11-11T10:00:00Z');
const MINUTE = 60_000;
const DAY = 86_400_000;
let real = T0;
const sims: Array<StripeSim | PaypalSim> = [];
afterEach(async () => {
  await Promise.all(sims.splice(0).map((s) => s.app.close()));
  real = T0;
});

describe("settlement reports on the simulator's clock", () => {
  it("Stripe: created_utc and available_on_utc are both simulated time — with a day per real minute, a charge ten real minutes in is created on day 10 and available two days later (T+2)", async () => {
    const clock = scaledClock(DAY / MINUTE, () => real);
    const sim = buildStripeSim({ seed: 3, clock, now: () => new Date(real) });
    sims.push(sim);
    real = T0 + 10 * MINUTE;
    const charge = await sim.app.inject({ method: 'POST', url: '/v1/payment_intents', payload: 'amount=1000&currency=eur&payment_method=pm_card_visa&confirm=true', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(charge.statusCode).toBe(200);
    const csv = (await sim.app.inject({ method: 'GET', url: '/__sim/settlement.csv?version=2&pending=true' })).body;
    const [header, row] = csv.trim().split('\r\n').map((l) => l.split(','));
    const cell = (name: string) => row![header!.indexOf(name)]!;
    const created = Date.parse(`${cell('created_utc').replace(' ', 'T')}Z`);
    const available = Date.parse(`${cell('available_on_utc').replace(' ', 'T')}Z`);
    // On the simulated calendar: day 10 of the run (a wall-clock stamp would be 10 minutes in).
    expect(created).toBe(T0 + 10 * DAY);
    expect(available - created).toBeGreaterThan(DAY);
    expect(available - created).toBeLessThanOrEqual(2 * DAY);
  });

  it('PayPal: with a cycle above T+0 a movement not yet due is judged not-yet-due on the day the Transaction Completion Date of its STL row states (the STL has no settlement-date column), its initiation on the same clock', async () => {
    const clock = scaledClock(DAY / MINUTE, () => real);
    const sim = buildPaypalSim({ seed: 5, clock, now: () => new Date(real), autoApprove: true, profile: { settlementCycle: { days: 3 } } });
    sims.push(sim);
    real = T0 + 10 * MINUTE;
    const auth = `Basic ${Buffer.from(`${sim.clientId}:${sim.clientSecret}`).toString('base64')}`;
    const token = (await sim.app.inject({ method: 'POST', url: '/v1/oauth2/token', payload: 'grant_type=client_credentials', headers: { authorization: auth, 'content-type': 'application/x-www-form-urlencoded' } })).json().access_token as string;
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const order = { intent: 'CAPTURE', purchase_units: [{ invoice_id: 'inv_cycle', amount: { currency_code: 'USD', value: '40.00' } }] };
    const created = (await sim.app.inject({ method: 'POST', url: '/v2/checkout/orders', payload: JSON.stringify(order), headers })).json();
    expect((await sim.app.inject({ method: 'POST', url: `/v2/checkout/orders/${created.id}/capture`, payload: '{}', headers })).statusCode).toBe(201);

    const due = parseSettlement((await sim.app.inject({ method: 'GET', url: '/__sim/settlement.csv?version=2' })).body, 'paypal.csv');
    const pendingCsv = (await sim.app.inject({ method: 'GET', url: '/__sim/settlement.csv?version=2&pending=true' })).body;
    const pending = parseSettlement(pendingCsv, 'paypal-pending.csv');
    expect(due).toEqual([]);
    // Day 10 of the run is the 21st; T+3 from its day start: the 24th.
    expect(pending.map((l) => [l.kind, l.amount, l.settlesOn])).toEqual([['capture', 4000, '2026-11-24']]);
    const [header, row] = pendingCsv.trim().split('\r\n').map((l) => l.split(','));
    expect(header).not.toContain('Settlement Date');
    expect(row![header!.indexOf('Transaction Initiation Date')]).toBe('2026-11-21 10:00:00 +0000');
    // Held until its day: the transaction completes when the money reaches the balance.
    expect(row![header!.indexOf('Transaction Completion Date')]).toBe('2026-11-24 00:00:00 +0000');

    const fee = Math.round((4000 * 349) / 10_000) + 49;
    const books = [{ paymentId: 'pay_1', orderId: 'inv_cycle', provider: 'paypal', providerPaymentId: created.id as string, providerReference: 'inv_cycle', kind: 'capture', reference: '', amount: 4000, currency: 'usd', fee, bookedAt: new Date(real).toISOString() }];
    const result = reconcile(books, due, ['paypal'], pending);
    const row0 = result.rows.find((r) => r.orderId === 'inv_cycle')!;
    expect(row0.mismatches).toEqual([]);
    expect((row0.notYetDue ?? []).map((n) => n.settlesOn)).toEqual(['2026-11-24']);
  });
});
