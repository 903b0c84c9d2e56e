import { afterEach, describe, expect, it } from 'vitest';
import { buildAdyenSim, type AdyenSim } from '../../../../simulators/adyen/index.js';
import type { Transport } from '../../../../simulators/core/index.js';
import { payment, post } from './helpers.js';

let sim: AdyenSim;
afterEach(async () => sim?.app.close());

/** Notifications are captured in memory: what was sent, and whether it reported success. */
function capturingSim(profileUrl = 'http://receiver.invalid/hooks') {
  const sent: Array<{ eventCode: string; success: string; pspReference: string; originalReference?: string; reason?: string }> = [];
  const transport: Transport = async (_url, body) => {
    sent.push(JSON.parse(body).notificationItems[0].NotificationRequestItem);
    return { status: 200, body: '[accepted]' };
  };
  sim = buildAdyenSim({ seed: 33, transport, profile: { webhooks: { url: profileUrl } } });
  return sent;
}

const MA = { merchantAccount: 'PaychaosECOM' };

describe('Adyen modifications', () => {
  it('captures a manual-capture payment in parts, answering 201 received with a new pspReference', async () => {
    const sent = capturingSim();
    const auth = await post(sim.app, '/v71/payments', payment({ additionalData: { manualCapture: 'true' } }));
    expect(auth.body.resultCode).toBe('Authorised');
    expect(sim.ledger.count('capture')).toBe(0);
    const cap = await post(sim.app, `/v71/payments/${auth.body.pspReference}/captures`, { ...MA, amount: { value: 600, currency: 'EUR' }, reference: 'cap-1' });
    expect(cap.status).toBe(201);
    expect(cap.body).toMatchObject({ status: 'received', paymentPspReference: auth.body.pspReference, reference: 'cap-1', amount: { value: 600, currency: 'EUR' } });
    expect(cap.body.pspReference).not.toBe(auth.body.pspReference);
    const tooMuch = await post(sim.app, `/v71/payments/${auth.body.pspReference}/captures`, { ...MA, amount: { value: 500, currency: 'EUR' } });
    expect(tooMuch.status).toBe(201);
    expect(sim.ledger.balanceOf(auth.body.pspReference)).toMatchObject({ authorized: 1000, captured: 600 });
    await sim.webhooks.settled();
    expect(sent.map((n) => [n.eventCode, n.success])).toEqual([['AUTHORISATION', 'true'], ['CAPTURE', 'true'], ['CAPTURE', 'false']]);
    expect(sent[1]).toMatchObject({ pspReference: cap.body.pspReference, originalReference: auth.body.pspReference });
  });

  it('refunds up to what was captured, and never beyond', async () => {
    const sent = capturingSim();
    const auth = await post(sim.app, '/v71/payments', payment());
    const psp = auth.body.pspReference;
    expect((await post(sim.app, `/v71/payments/${psp}/refunds`, { ...MA, amount: { value: 400, currency: 'EUR' } })).status).toBe(201);
    await post(sim.app, `/v71/payments/${psp}/refunds`, { ...MA, amount: { value: 700, currency: 'EUR' } });
    expect(sim.ledger.balanceOf(psp)).toMatchObject({ captured: 1000, refunded: 400 });
    await sim.webhooks.settled();
    expect(sent.filter((n) => n.eventCode === 'REFUND').map((n) => n.success)).toEqual(['true', 'false']);
  });

  it('cancels an uncaptured authorisation as a void, and refuses to cancel a captured one', async () => {
    capturingSim();
    const held = await post(sim.app, '/v71/payments', payment({ additionalData: { manualCapture: 'true' } }));
    expect((await post(sim.app, `/v71/payments/${held.body.pspReference}/cancels`, MA)).status).toBe(201);
    expect(sim.ledger.balanceOf(held.body.pspReference)).toMatchObject({ authorized: 1000, voided: 1000, captured: 0 });
    const captured = await post(sim.app, '/v71/payments', payment());
    await post(sim.app, `/v71/payments/${captured.body.pspReference}/cancels`, MA);
    expect(sim.ledger.balanceOf(captured.body.pspReference)).toMatchObject({ voided: 0 });
  });

  it('reverses a captured payment by refunding it and an uncaptured one by voiding it', async () => {
    capturingSim();
    const captured = await post(sim.app, '/v71/payments', payment());
    await post(sim.app, `/v71/payments/${captured.body.pspReference}/reversals`, MA);
    expect(sim.ledger.balanceOf(captured.body.pspReference)).toMatchObject({ captured: 1000, refunded: 1000 });
    const held = await post(sim.app, '/v71/payments', payment({ additionalData: { manualCapture: 'true' } }));
    await post(sim.app, `/v71/payments/${held.body.pspReference}/reversals`, MA);
    expect(sim.ledger.balanceOf(held.body.pspReference)).toMatchObject({ voided: 1000 });
  });

  it('rejects a modification of an unknown payment, without a merchant account, or in another currency', async () => {
    capturingSim();
    const auth = await post(sim.app, '/v71/payments', payment());
    expect((await post(sim.app, '/v71/payments/9999999999999999/refunds', { ...MA, amount: { value: 1, currency: 'EUR' } })).body).toMatchObject({ status: 422, errorCode: '167' });
    expect((await post(sim.app, `/v71/payments/${auth.body.pspReference}/refunds`, { amount: { value: 1, currency: 'EUR' } })).body.errorCode).toBe('901');
    expect((await post(sim.app, `/v71/payments/${auth.body.pspReference}/refunds`, { ...MA, amount: { value: 1, currency: 'USD' } })).body.errorCode).toBe('138');
  });
});
