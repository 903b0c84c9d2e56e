import { CheckoutPaymentIntent, PatchOp } from '@paypal/paypal-server-sdk';
import { afterEach, describe, expect, it } from 'vitest';
import { approve, failure, startPaypalWithSdk } from './paypal-sdk-client.js';

/**
 * What a merchant integration written from PayPal's docs does beyond create-approve-capture,
 * driven by the official server SDK: authorize then capture or void, patch an order before the
 * buyer approves, several purchase units, PayPal's default minimal answers, breakdowns.
 */
let closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of closers.reverse()) await close();
  closers = [];
});

const experience = { paypal: { experienceContext: { returnUrl: 'https://shop.example/return', cancelUrl: 'https://shop.example/cancel' } } };
const full = 'return=representation';

describe('the official PayPal server SDK: authorize, patch, purchase units', () => {
  it('authorizes an order, captures part of the hold, then the final part below the rest (releasing it), and the ledger holds every movement', async () => {
    const { sim, orders, payments } = await startPaypalWithSdk(closers, { seed: 301 });
    const created = await orders.createOrder({ body: { intent: CheckoutPaymentIntent.Authorize, purchaseUnits: [{ invoiceId: 'inv_auth_1', amount: { currencyCode: 'USD', value: '100.00' } }], paymentSource: experience }, paypalRequestId: 'auth-create-1' });
    await approve(created.result.links);

    const authorized = await orders.authorizeOrder({ id: created.result.id!, paypalRequestId: 'auth-1', prefer: full });
    expect(authorized.statusCode).toBe(201);
    expect(authorized.result).toMatchObject({ intent: 'AUTHORIZE', status: 'COMPLETED', paymentSource: { paypal: { accountStatus: 'VERIFIED' } } });
    const authorization = authorized.result.purchaseUnits?.[0]?.payments?.authorizations?.[0];
    expect(authorization).toMatchObject({ status: 'CREATED', amount: { currencyCode: 'USD', value: '100.00' }, invoiceId: 'inv_auth_1' });
    expect(authorization?.links?.map((l) => l.rel)).toEqual(['self', 'capture', 'void', 'reauthorize', 'up']);
    // Authorizing twice is refused; capturing an AUTHORIZE order through the order is too.
    expect(failure(await orders.authorizeOrder({ id: created.result.id! }).catch((e: unknown) => e))).toEqual({ status: 422, name: 'UNPROCESSABLE_ENTITY', issue: 'ORDER_ALREADY_AUTHORIZED' });
    expect(failure(await orders.captureOrder({ id: created.result.id! }).catch((e: unknown) => e))).toEqual({ status: 422, name: 'UNPROCESSABLE_ENTITY', issue: 'ACTION_DOES_NOT_MATCH_INTENT' });

    const first = await payments.captureAuthorizedPayment({ authorizationId: authorization!.id!, paypalRequestId: 'cap-1', prefer: full, body: { amount: { currencyCode: 'USD', value: '30.00' }, finalCapture: false } });
    expect(first.statusCode).toBe(201);
    expect(first.result).toMatchObject({ status: 'COMPLETED', amount: { value: '30.00' }, finalCapture: false, sellerReceivableBreakdown: { grossAmount: { value: '30.00' }, netAmount: { value: '30.00' } } });
    // The same PayPal-Request-Id replays the first capture: no second one.
    expect((await payments.captureAuthorizedPayment({ authorizationId: authorization!.id!, paypalRequestId: 'cap-1', body: { amount: { currencyCode: 'USD', value: '30.00' }, finalCapture: false } })).result.id).toBe(first.result.id);
    expect((await payments.getAuthorizedPayment({ authorizationId: authorization!.id! })).result.status).toBe('PARTIALLY_CAPTURED');
    expect(failure(await payments.captureAuthorizedPayment({ authorizationId: authorization!.id!, body: { amount: { currencyCode: 'USD', value: '70.01' } } }).catch((e: unknown) => e))).toEqual({ status: 422, name: 'UNPROCESSABLE_ENTITY', issue: 'MAX_CAPTURE_AMOUNT_EXCEEDED' });
    expect(failure(await payments.captureAuthorizedPayment({ authorizationId: authorization!.id!, body: { amount: { currencyCode: 'EUR', value: '1.00' } } }).catch((e: unknown) => e))).toEqual({ status: 422, name: 'UNPROCESSABLE_ENTITY', issue: 'AUTH_CAPTURE_CURRENCY_MISMATCH' });

    // PayPal's default answer is minimal: id, status, links.
    const last = await payments.captureAuthorizedPayment({ authorizationId: authorization!.id!, paypalRequestId: 'cap-2', body: { amount: { currencyCode: 'USD', value: '50.00' }, finalCapture: true } });
    expect(Object.keys(JSON.parse(last.body as string) as object).sort()).toEqual(['id', 'links', 'status']);
    expect((await payments.getAuthorizedPayment({ authorizationId: authorization!.id! })).result.status).toBe('CAPTURED');
    expect(failure(await payments.captureAuthorizedPayment({ authorizationId: authorization!.id! }).catch((e: unknown) => e))).toMatchObject({ issue: 'AUTHORIZATION_ALREADY_CAPTURED' });
    expect(failure(await payments.voidPayment({ authorizationId: authorization!.id! }).catch((e: unknown) => e))).toMatchObject({ status: 422, issue: 'PREVIOUSLY_CAPTURED' });

    const refund = await payments.refundCapturedPayment({ captureId: last.result.id!, prefer: full, body: { amount: { currencyCode: 'USD', value: '20.00' } } });
    expect(refund.result).toMatchObject({ sellerPayableBreakdown: { grossAmount: { value: '20.00' }, totalRefundedAmount: { value: '20.00' } } });

    expect(sim.ledger.entries().map((e) => [e.kind, e.orderId, e.amount])).toEqual([
      ['authorization', 'inv_auth_1', 10000],
      ['capture', 'inv_auth_1', 3000],
      ['capture', 'inv_auth_1', 5000],
      ['void', 'inv_auth_1', 2000],
      ['refund', 'inv_auth_1', 2000],
    ]);
    const balance = sim.ledger.entries().reduce((b, e) => ({ ...b, [e.kind]: (b[e.kind] ?? 0) + e.amount }), {} as Record<string, number>);
    // Money invariant: what was held is exactly what was captured plus what was released.
    expect(balance.capture! + balance.void!).toBe(balance.authorization);
  });

  it('voids a hold (204 by default, PREVIOUSLY_VOIDED after), and a voided authorization cannot be captured', async () => {
    const { sim, orders, payments } = await startPaypalWithSdk(closers, { seed: 302 });
    const created = await orders.createOrder({ body: { intent: CheckoutPaymentIntent.Authorize, purchaseUnits: [{ customId: 'ord_void', amount: { currencyCode: 'EUR', value: '12.34' } }], paymentSource: experience } });
    await approve(created.result.links);
    const authorized = await orders.authorizeOrder({ id: created.result.id!, prefer: full });
    const authorizationId = authorized.result.purchaseUnits![0]!.payments!.authorizations![0]!.id!;

    const voided = await payments.voidPayment({ authorizationId });
    expect([voided.statusCode, voided.result]).toEqual([204, null]);
    expect((await payments.getAuthorizedPayment({ authorizationId })).result.status).toBe('VOIDED');
    expect(failure(await payments.voidPayment({ authorizationId }).catch((e: unknown) => e))).toEqual({ status: 422, name: 'UNPROCESSABLE_ENTITY', issue: 'PREVIOUSLY_VOIDED' });
    expect(failure(await payments.captureAuthorizedPayment({ authorizationId }).catch((e: unknown) => e))).toEqual({ status: 422, name: 'UNPROCESSABLE_ENTITY', issue: 'AUTHORIZATION_VOIDED' });
    expect(sim.ledger.entries().map((e) => [e.kind, e.orderId, e.amount])).toEqual([
      ['authorization', 'ord_void', 1234],
      ['void', 'ord_void', 1234],
    ]);
  });

  it('patches an order before approval (amount, invoice_id, description) and refuses a patch after capture', async () => {
    const { sim, orders } = await startPaypalWithSdk(closers, { seed: 303 });
    const created = await orders.createOrder({ body: { intent: CheckoutPaymentIntent.Capture, purchaseUnits: [{ referenceId: 'cart', amount: { currencyCode: 'USD', value: '10.00' } }], paymentSource: experience } });
    const id = created.result.id!;
    const patched = await orders.patchOrder({
      id,
      body: [
        { op: PatchOp.Replace, path: "/purchase_units/@reference_id=='cart'/amount", value: { currency_code: 'USD', value: '12.50' } },
        { op: PatchOp.Add, path: "/purchase_units/@reference_id=='cart'/invoice_id", value: 'inv_patched' },
        { op: PatchOp.Add, path: "/purchase_units/@reference_id=='cart'/description", value: 'Shoes, size 42' },
      ],
    });
    expect(patched.statusCode).toBe(204);
    expect((await orders.getOrder({ id })).result.purchaseUnits?.[0]).toMatchObject({ referenceId: 'cart', amount: { value: '12.50' }, invoiceId: 'inv_patched', description: 'Shoes, size 42' });

    // JSON Patch is atomic: one bad operation leaves everything as it was.
    const bad = await orders.patchOrder({ id, body: [{ op: PatchOp.Replace, path: "/purchase_units/@reference_id=='cart'/amount", value: { currency_code: 'USD', value: '99.00' } }, { op: PatchOp.Add, path: "/purchase_units/@reference_id=='cart'/invoice_id", value: 'again' }] }).catch((e: unknown) => e);
    expect(failure(bad)).toEqual({ status: 400, name: 'INVALID_REQUEST', issue: 'INVALID_PATCH_OPERATION' });
    expect(failure(await orders.patchOrder({ id, body: [{ op: PatchOp.Replace, path: "/purchase_units/@reference_id=='nope'/amount", value: { currency_code: 'USD', value: '1.00' } }] }).catch((e: unknown) => e))).toMatchObject({ status: 422, issue: 'REFERENCE_ID_NOT_FOUND' });
    expect(failure(await orders.patchOrder({ id, body: [{ op: PatchOp.Replace, path: '/create_time', value: 'x' }] }).catch((e: unknown) => e))).toMatchObject({ status: 400, issue: 'FIELD_NOT_PATCHABLE' });
    expect((await orders.getOrder({ id })).result.purchaseUnits?.[0]?.amount?.value).toBe('12.50');

    await approve(created.result.links);
    await orders.captureOrder({ id });
    expect(failure(await orders.patchOrder({ id, body: [{ op: PatchOp.Remove, path: "/purchase_units/@reference_id=='cart'/description" }] }).catch((e: unknown) => e))).toEqual({ status: 422, name: 'UNPROCESSABLE_ENTITY', issue: 'ORDER_ALREADY_COMPLETED' });
    // The patched amount and invoice id are what was charged.
    expect(sim.ledger.entries().map((e) => [e.kind, e.orderId, e.amount])).toEqual([
      ['authorization', 'inv_patched', 1250],
      ['capture', 'inv_patched', 1250],
    ]);
  });

  it('captures an order of several purchase units, one capture per unit, each filed under its own merchant order id', async () => {
    const { sim, orders, payments } = await startPaypalWithSdk(closers, { seed: 304 });
    const units = [
      { referenceId: 'seller-a', invoiceId: 'inv_a', amount: { currencyCode: 'EUR', value: '10.00' } },
      { referenceId: 'seller-b', customId: 'ord_b', amount: { currencyCode: 'EUR', value: '5.50' } },
    ];
    const created = await orders.createOrder({ body: { intent: CheckoutPaymentIntent.Capture, purchaseUnits: units, paymentSource: experience } });
    await approve(created.result.links);
    const captured = await orders.captureOrder({ id: created.result.id!, prefer: full });
    expect(captured.result.purchaseUnits?.map((u) => [u.referenceId, u.payments?.captures?.[0]?.amount?.value, u.payments?.captures?.[0]?.status])).toEqual([
      ['seller-a', '10.00', 'COMPLETED'],
      ['seller-b', '5.50', 'COMPLETED'],
    ]);
    // The capture answer names how the buyer paid, and each capture what the merchant receives.
    expect(captured.result.paymentSource?.paypal).toMatchObject({ emailAddress: expect.stringContaining('@'), accountId: expect.any(String), accountStatus: 'VERIFIED' });
    const second = captured.result.purchaseUnits?.[1]?.payments?.captures?.[0];
    expect(second?.sellerReceivableBreakdown).toMatchObject({ grossAmount: { currencyCode: 'EUR', value: '5.50' }, paypalFee: { value: '0.00' }, netAmount: { value: '5.50' } });
    expect((await payments.getCapturedPayment({ captureId: second!.id! })).result).toMatchObject({ customId: 'ord_b', sellerReceivableBreakdown: { netAmount: { value: '5.50' } } });
    const refund = await payments.refundCapturedPayment({ captureId: second!.id!, prefer: full });
    expect(refund.result).toMatchObject({ status: 'COMPLETED', amount: { value: '5.50' }, sellerPayableBreakdown: { grossAmount: { value: '5.50' }, netAmount: { value: '5.50' }, totalRefundedAmount: { value: '5.50' } } });
    expect(sim.ledger.entries().filter((e) => e.kind === 'capture').map((e) => [e.orderId, e.amount])).toEqual([
      ['inv_a', 1000],
      ['ord_b', 550],
    ]);
    expect(sim.ledger.entries().filter((e) => e.kind === 'refund').map((e) => [e.orderId, e.amount])).toEqual([['ord_b', 550]]);

    // What PayPal refuses of purchase units.
    const refuse = async (purchaseUnits: typeof units, intent = CheckoutPaymentIntent.Capture) => failure(await orders.createOrder({ body: { intent, purchaseUnits } }).catch((e: unknown) => e));
    expect(await refuse([units[0]!, { ...units[1]!, referenceId: 'seller-a' }])).toMatchObject({ status: 422, issue: 'DUPLICATE_REFERENCE_ID' });
    expect(await refuse([units[0]!, { ...units[1]!, amount: { currencyCode: 'USD', value: '1.00' } }])).toMatchObject({ status: 422, issue: 'MULTI_CURRENCY_ORDER' });
    expect(await refuse(units, CheckoutPaymentIntent.Authorize)).toMatchObject({ status: 422, issue: 'UNSUPPORTED_INTENT' });
    expect(await refuse(Array.from({ length: 11 }, (_, i) => ({ ...units[0]!, referenceId: `r${i}` })))).toMatchObject({ status: 400, issue: 'INVALID_ARRAY_MAX_ITEMS' });
  });

  it("answers malformed amounts with PayPal's issues: syntax 400, decimals in JPY 422, zero 422", async () => {
    const { sim, orders } = await startPaypalWithSdk(closers, { seed: 305 });
    const refuse = async (currencyCode: string, value: string) => failure(await orders.createOrder({ body: { intent: CheckoutPaymentIntent.Capture, purchaseUnits: [{ amount: { currencyCode, value } }] } }).catch((e: unknown) => e));
    expect(await refuse('USD', 'ten')).toEqual({ status: 400, name: 'INVALID_REQUEST', issue: 'INVALID_PARAMETER_SYNTAX' });
    expect(await refuse('JPY', '1000.50')).toEqual({ status: 422, name: 'UNPROCESSABLE_ENTITY', issue: 'DECIMALS_NOT_SUPPORTED' });
    expect(await refuse('USD', '1.005')).toEqual({ status: 422, name: 'UNPROCESSABLE_ENTITY', issue: 'DECIMAL_PRECISION' });
    expect(await refuse('USD', '0.00')).toEqual({ status: 422, name: 'UNPROCESSABLE_ENTITY', issue: 'CANNOT_BE_ZERO_OR_NEGATIVE' });
    // JPY without decimals is fine.
    expect((await orders.createOrder({ body: { intent: CheckoutPaymentIntent.Capture, purchaseUnits: [{ amount: { currencyCode: 'JPY', value: '1000' } }] } })).statusCode).toBe(201);
    expect(sim.ledger.entries()).toEqual([]);
  });
});
