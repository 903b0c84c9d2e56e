import { ApiError, CustomError, OAuthProviderError, OrdersController } from '@paypal/paypal-server-sdk';
import { afterEach, describe, expect, it } from 'vitest';
import type { PaypalSimOptions } from '../../../simulators/paypal/index.js';
import { approve, failure, orderBody, startPaypalWithSdk } from './paypal-sdk-client.js';

/**
 * PayPal's official server SDK against the simulator; how it is pointed there: paypal-sdk-client.ts.
 */
let closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of closers.reverse()) await close();
  closers = [];
});
const start = (options: PaypalSimOptions = {}) => startPaypalWithSdk(closers, options);

describe('the official PayPal server SDK against the simulator', () => {
  it('fetches its own token, then creates, approves, captures, reads and refunds an order, replaying each PayPal-Request-Id', async () => {
    const { sim, tokens, orders, payments } = await start({ seed: 91 });

    const created = await orders.createOrder({ body: orderBody('ord_sdk'), paypalRequestId: 'sdk-create-1', prefer: 'return=representation' });
    expect(created.statusCode).toBe(201);
    expect(created.result).toMatchObject({ intent: 'CAPTURE', status: 'PAYER_ACTION_REQUIRED', purchaseUnits: [{ customId: 'ord_sdk', amount: { currencyCode: 'EUR', value: '42.00' } }] });
    const orderId = created.result.id!;
    // The same PayPal-Request-Id is the same order, not a second one.
    expect((await orders.createOrder({ body: orderBody('ord_sdk'), paypalRequestId: 'sdk-create-1' })).result.id).toBe(orderId);

    const back = await approve(created.result.links);
    expect(`${back.origin}${back.pathname}`).toBe('https://shop.example/return');
    expect(back.searchParams.get('token')).toBe(orderId);
    const payerId = back.searchParams.get('PayerID');
    expect((await orders.getOrder({ id: orderId })).result).toMatchObject({ status: 'APPROVED', payer: { payerId } });

    // As the SDK's documentation calls it: no body (the SDK still sends Content-Type: application/json).
    const captured = await orders.captureOrder({ id: orderId, paypalRequestId: 'sdk-capture-1', prefer: 'return=representation' });
    expect(captured.statusCode).toBe(201);
    expect(captured.result.status).toBe('COMPLETED');
    const capture = captured.result.purchaseUnits?.[0]?.payments?.captures?.[0];
    expect(capture).toMatchObject({ status: 'COMPLETED', amount: { currencyCode: 'EUR', value: '42.00' }, customId: 'ord_sdk' });
    // A retried capture with its PayPal-Request-Id gets the first answer back, not ORDER_ALREADY_CAPTURED.
    const replayed = await orders.captureOrder({ id: orderId, paypalRequestId: 'sdk-capture-1' });
    expect([replayed.statusCode, replayed.result.purchaseUnits?.[0]?.payments?.captures?.[0]?.id]).toEqual([201, capture!.id]);

    const read = await orders.getOrder({ id: orderId });
    expect(read.result).toMatchObject({ id: orderId, status: 'COMPLETED', payer: { payerId } });

    const refund = await payments.refundCapturedPayment({ captureId: capture!.id!, paypalRequestId: 'sdk-refund-1', prefer: 'return=representation', body: { amount: { currencyCode: 'EUR', value: '42.00' } } });
    expect(refund.statusCode).toBe(201);
    expect(refund.result).toMatchObject({ status: 'COMPLETED', amount: { currencyCode: 'EUR', value: '42.00' } });
    const again = await payments.refundCapturedPayment({ captureId: capture!.id!, paypalRequestId: 'sdk-refund-1', body: { amount: { currencyCode: 'EUR', value: '42.00' } } });
    expect(again.result.id).toBe(refund.result.id);
    expect((await payments.getCapturedPayment({ captureId: capture!.id! })).result.status).toBe('REFUNDED');

    // One token, fetched by the SDK itself and reused for every call.
    expect(tokens).toHaveLength(1);
    expect(tokens[0]).toMatchObject({ tokenType: 'Bearer' });
    expect(sim.ledger.entries().map((e) => [e.kind, e.orderId, e.amount, e.idempotencyKey])).toEqual([
      ['authorization', 'ord_sdk', 4200, 'sdk-create-1'],
      ['capture', 'ord_sdk', 4200, 'sdk-create-1'],
      ['refund', 'ord_sdk', 4200, 'sdk-refund-1'],
    ]);
  });

  it("surfaces PayPal's errors as the SDK's ApiError carrying {name, details:[{issue}]}, and moves no money for them", async () => {
    const { sim, client, orders, payments } = await start({ seed: 92 });
    const order = (await orders.createOrder({ body: orderBody('ord_err', '10.00'), paypalRequestId: 'sdk-err-1' })).result;

    // Capturing before the buyer approved.
    expect(failure(await orders.captureOrder({ id: order.id! }).catch((e: unknown) => e))).toEqual({ status: 422, name: 'UNPROCESSABLE_ENTITY', issue: 'ORDER_NOT_APPROVED' });

    // Negative testing: the SDK's own paypalMockResponse parameter sends PayPal-Mock-Response.
    await approve(order.links);
    const mocked = await orders.captureOrder({ id: order.id!, paypalMockResponse: JSON.stringify({ mock_application_codes: 'INSTRUMENT_DECLINED' }) }).catch((e: unknown) => e);
    expect(mocked).toBeInstanceOf(CustomError);
    expect(failure(mocked)).toEqual({ status: 422, name: 'UNPROCESSABLE_ENTITY', issue: 'INSTRUMENT_DECLINED' });
    expect((await orders.getOrder({ id: order.id! })).result.status).toBe('APPROVED');

    // An unknown order, and a capture refunded in full.
    expect(failure(await orders.getOrder({ id: 'NOSUCHORDER000000' }).catch((e: unknown) => e))).toMatchObject({ status: 404, name: 'RESOURCE_NOT_FOUND' });
    const capture = (await orders.captureOrder({ id: order.id!, prefer: 'return=representation' })).result.purchaseUnits?.[0]?.payments?.captures?.[0];
    // No body: refund whatever is left.
    await payments.refundCapturedPayment({ captureId: capture!.id! });
    expect(failure(await payments.refundCapturedPayment({ captureId: capture!.id! }).catch((e: unknown) => e))).toEqual({ status: 422, name: 'UNPROCESSABLE_ENTITY', issue: 'CAPTURE_FULLY_REFUNDED' });

    // A wrong client secret fails at the token endpoint, with OAuth's own error shape.
    const denied = await new OrdersController(client('not-the-secret')).getOrder({ id: order.id! }).catch((e: unknown) => e);
    // (The package exports the OAuthProviderError enum under the error class's name, so match on the class's base.)
    expect(denied).toBeInstanceOf(ApiError);
    expect(denied).toMatchObject({ statusCode: 401, request: { url: 'https://api-m.sandbox.paypal.com/v1/oauth2/token' }, result: { error: OAuthProviderError.InvalidClient } });

    expect(sim.ledger.entries().map((e) => e.kind)).toEqual(['authorization', 'capture', 'refund']);
  });
});
