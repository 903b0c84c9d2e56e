import type { AgentOptions } from 'node:https';
import adyen, { type Types } from '@adyen/api-library';
import { afterEach, describe, expect, it } from 'vitest';
import { startAdyenSim, type StartedAdyenSim } from '../../../simulators/adyen/index.js';
import { startReceiver, type Received } from './receiver.js';
import { startTlsFront } from './tls-front.js';

/**
 * Adyen's official Node library (@adyen/api-library), configured as a merchant would be: an API
 * key, EnvironmentEnum.TEST, and the HMAC key for notifications. The library has no base-URL
 * option: its Checkout services call `https://checkout-test.adyen.com/v72/…` through its own
 * HttpURLConnectionClient, so that client's TLS connections are pointed at a front for that host
 * name which hands the bytes to the simulator (see tls-front.ts). Method, path, headers (x-api-key,
 * idempotency-key) and body are the library's own.
 */
// The library is CommonJS; under ESM its classes are reached through the default export.
const { CheckoutAPI, Client, EnvironmentEnum, HttpClientException, HttpURLConnectionClient, hmacValidator } = adyen;

const API_KEY = 'AQE_paychaos_test_api_key';
const HMAC_KEY = '44782DEF547AAA06C910C43932B1EB0C71FC68D9D0C057550C48EC2ACF6BA056';
const MERCHANT = 'PaychaosECOM';

let closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of closers.reverse()) await close();
  closers = [];
});

type Item = Types.notification.NotificationRequestItem;
const itemOf = (r: Received): Item => (JSON.parse(r.body) as Types.notification.Notification).notificationItems![0]!.NotificationRequestItem!;
const validHmac = (item: Item) => new hmacValidator().validateHMAC(item, HMAC_KEY);

async function start(seed: number) {
  // The merchant's notification endpoint: the library checks the HMAC; only then "[accepted]".
  const receiver = await startReceiver((r) => (validHmac(itemOf(r)) ? { status: 200, body: '[accepted]' } : { status: 401 }));
  closers.push(receiver.close);
  const sim = await startAdyenSim({ seed, apiKey: API_KEY, hmacKey: HMAC_KEY, profile: { webhooks: { url: receiver.url } } });
  closers.push(sim.close);
  const front = await startTlsFront('checkout-test.adyen.com', sim.url);
  closers.push(front.close);

  // The library builds `new https.Agent(agentOptions)` for every request; its only public knob for
  // those options is `certificatePath`, which is meant for terminals. Ours add where to connect and
  // the test CA, nothing else.
  const checkoutWith = (apiKey: string) => {
    const client = new Client({ apiKey, environment: EnvironmentEnum.TEST });
    const http = new HttpURLConnectionClient();
    Object.assign(http, { agentOptions: front.agentOptions satisfies AgentOptions });
    client.httpClient = http;
    return new CheckoutAPI(client);
  };
  const checkout = checkoutWith(API_KEY);
  return { sim, receiver, checkoutWith, payments: checkout.PaymentsApi, modifications: checkout.ModificationsApi };
}

const card = (holderName = 'Paychaos Shopper'): Types.checkout.CardDetails => ({
  type: 'scheme' as Types.checkout.CardDetails.TypeEnum,
  encryptedCardNumber: 'test_4111111111111111',
  encryptedExpiryMonth: 'test_03',
  encryptedExpiryYear: 'test_2030',
  encryptedSecurityCode: 'test_737',
  holderName,
});

const paymentRequest = (reference: string, extra: Partial<Types.checkout.PaymentRequest> = {}): Types.checkout.PaymentRequest => ({
  merchantAccount: MERCHANT,
  amount: { value: 2500, currency: 'EUR' },
  reference,
  paymentMethod: card(),
  returnUrl: 'https://shop.example/checkout/return',
  shopperInteraction: 'Ecommerce' as Types.checkout.PaymentRequest.ShopperInteractionEnum,
  ...extra,
});

const rejection = async (p: Promise<unknown>) => {
  const e = await p.catch((err: unknown) => err);
  expect(e).toBeInstanceOf(HttpClientException);
  return e as InstanceType<typeof HttpClientException>;
};

describe('the official Adyen library against the simulator', () => {
  it('authorises a test card once per idempotency key, and reads a refusal from resultCode and refusalReason', async () => {
    const { sim, payments } = await start(71);

    const paid = await payments.payments(paymentRequest('ord_ady_sdk'), { idempotencyKey: 'sdk-pay-1' });
    expect(paid).toMatchObject({ resultCode: 'Authorised', merchantReference: 'ord_ady_sdk', amount: { value: 2500, currency: 'EUR' } });
    expect(paid.pspReference).toMatch(/^[0-9A-Z]{16}$/);
    // A retry with the same key is the same payment.
    const retried = await payments.payments(paymentRequest('ord_ady_sdk'), { idempotencyKey: 'sdk-pay-1' });
    expect(retried.pspReference).toBe(paid.pspReference);

    // HTTP 200 is not success: the refusal is in the body. The holder name picks the refusal reason.
    const refused = await payments.payments(paymentRequest('ord_ady_refused', { paymentMethod: card('NOT_ENOUGH_BALANCE') }), { idempotencyKey: 'sdk-pay-2' });
    expect(refused).toMatchObject({ resultCode: 'Refused', refusalReason: 'Not enough balance', refusalReasonCode: '12' });

    // A request Adyen cannot take is an HttpClientException carrying Adyen's error body.
    const invalid = await rejection(payments.payments(paymentRequest('ord_ady_invalid', { paymentMethod: { ...card(), encryptedCardNumber: 'test_4111111111111112' } })));
    expect(invalid).toMatchObject({ statusCode: 422, errorCode: '101', apiError: { errorType: 'validation' } });

    expect(sim.ledger.entries().map((e) => [e.kind, e.orderId, e.amount, e.idempotencyKey])).toEqual([
      ['authorization', 'ord_ady_sdk', 2500, 'sdk-pay-1'],
      ['capture', 'ord_ady_sdk', 2500, 'sdk-pay-1'],
    ]);
  });

  it('captures, refunds and cancels through ModificationsApi, each answered "received" and confirmed by an HMAC-valid notification', async () => {
    const { sim, receiver, payments, modifications } = await start(72);
    const manual = { additionalData: { manualCapture: 'true' } };

    const held = await payments.payments(paymentRequest('ord_ady_manual', manual), { idempotencyKey: 'sdk-held-1' });
    expect(held.resultCode).toBe('Authorised');
    const captured = await modifications.captureAuthorisedPayment(held.pspReference!, { merchantAccount: MERCHANT, amount: { value: 2500, currency: 'EUR' }, reference: 'cap-1' }, { idempotencyKey: 'sdk-capture-1' });
    expect(captured).toMatchObject({ status: 'received', paymentPspReference: held.pspReference, merchantAccount: MERCHANT, amount: { value: 2500, currency: 'EUR' } });

    const refund = { merchantAccount: MERCHANT, amount: { value: 1000, currency: 'EUR' }, reference: 'ref-1' };
    const refunded = await modifications.refundCapturedPayment(held.pspReference!, refund, { idempotencyKey: 'sdk-refund-1' });
    expect(refunded).toMatchObject({ status: 'received', paymentPspReference: held.pspReference, amount: { value: 1000 } });
    // A retried refund with its key is the same refund, not a second one.
    expect((await modifications.refundCapturedPayment(held.pspReference!, refund, { idempotencyKey: 'sdk-refund-1' })).pspReference).toBe(refunded.pspReference);

    const other = await payments.payments(paymentRequest('ord_ady_cancel', manual), { idempotencyKey: 'sdk-held-2' });
    const cancelled = await modifications.cancelAuthorisedPaymentByPspReference(other.pspReference!, { merchantAccount: MERCHANT }, { idempotencyKey: 'sdk-cancel-1' });
    expect(cancelled).toMatchObject({ status: 'received', paymentPspReference: other.pspReference });

    // A modification of a payment Adyen does not know.
    const unknown = await rejection(modifications.refundCapturedPayment('NOSUCHPAYMENT000', refund));
    expect(unknown).toMatchObject({ statusCode: 422, errorCode: '167' });

    expect(sim.ledger.entries().map((e) => [e.kind, e.orderId, e.amount])).toEqual([
      ['authorization', 'ord_ady_manual', 2500],
      ['capture', 'ord_ady_manual', 2500],
      ['refund', 'ord_ady_manual', 1000],
      ['authorization', 'ord_ady_cancel', 2500],
      ['void', 'ord_ady_cancel', 2500],
    ]);

    // AUTHORISATION ×2, CAPTURE, REFUND, CANCELLATION: every one valid by the library's own HMAC check.
    await receiver.waitFor(5);
    await sim.webhooks.settled();
    const items = receiver.received.map(itemOf);
    expect(items.every(validHmac)).toBe(true);
    expect(items.map((i) => i.eventCode).sort()).toEqual(['AUTHORISATION', 'AUTHORISATION', 'CANCELLATION', 'CAPTURE', 'REFUND']);
    expect(items.find((i) => i.eventCode === 'REFUND')).toMatchObject({ pspReference: refunded.pspReference, originalReference: held.pspReference, success: 'true', amount: { value: 1000, currency: 'EUR' } });
    expect(items.find((i) => i.eventCode === 'CAPTURE')).toMatchObject({ pspReference: captured.pspReference, originalReference: held.pspReference, success: 'true' });
    expect(sim.webhooks.totals()).toMatchObject({ emitted: 5, accepted: 5 });
    // A notification changed in transit fails the same check.
    expect(validHmac({ ...items[0]!, amount: { ...items[0]!.amount, value: 1 } })).toBe(false);
  });

  it('is refused with 401 and errorType security when the API key is wrong, and nothing happens', async () => {
    const { sim, checkoutWith } = await start(73);
    const denied = await rejection(checkoutWith('AQE_wrong_key').PaymentsApi.payments(paymentRequest('ord_ady_denied')));
    expect(denied).toMatchObject({ statusCode: 401, errorCode: '000', apiError: { errorType: 'security' } });
    expect(sim.ledger.entries()).toEqual([]);
  });
});
