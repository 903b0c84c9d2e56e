import type { AgentOptions } from 'node:https';
import adyen, { type Types } from '@adyen/api-library';
import { afterEach, describe, expect, it } from 'vitest';
import { startAdyenSim } from '../../../simulators/adyen/index.js';
import { startReceiver, type Received } from './receiver.js';
import { startTlsFront } from './tls-front.js';

/**
 * The rest of Adyen's Checkout API a Drop-in or API-only merchant calls, driven with Adyen's own
 * library (@adyen/api-library): /paymentMethods, /sessions and its result, native 3-D Secure 2
 * through /payments/details, the standalone /cancels by merchant reference, and a refusal after
 * the shopper's step answered 200 Refused. The library talks to checkout-test.adyen.com through
 * the TLS front (see adyen-sdk.test.ts).
 */
const { CheckoutAPI, Client, EnvironmentEnum, hmacValidator } = adyen;

const API_KEY = 'AQE_paychaos_checkout_key';
const HMAC_KEY = '44782DEF547AAA06C910C43932B1EB0C71FC68D9D0C057550C48EC2ACF6BA056';
const MERCHANT = 'PaychaosECOM';

let closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of closers.reverse()) await close();
  closers = [];
});

type Item = Types.notification.NotificationRequestItem;
const itemOf = (r: Received): Item => (JSON.parse(r.body) as Types.notification.Notification).notificationItems![0]!.NotificationRequestItem!;

async function start(seed: number) {
  const receiver = await startReceiver(() => ({ status: 200, body: '[accepted]' }));
  closers.push(receiver.close);
  const sim = await startAdyenSim({ seed, apiKey: API_KEY, hmacKey: HMAC_KEY, profile: { webhooks: { url: receiver.url } } });
  closers.push(sim.close);
  const front = await startTlsFront('checkout-test.adyen.com', sim.url);
  closers.push(front.close);
  const client = new Client({ apiKey: API_KEY, environment: EnvironmentEnum.TEST });
  const http = new adyen.HttpURLConnectionClient();
  Object.assign(http, { agentOptions: front.agentOptions satisfies AgentOptions });
  client.httpClient = http;
  const checkout = new CheckoutAPI(client);
  return { sim, receiver, payments: checkout.PaymentsApi, modifications: checkout.ModificationsApi };
}

const card = (number: string, holderName = 'Paychaos Shopper'): Types.checkout.CardDetails => ({
  type: 'scheme' as Types.checkout.CardDetails.TypeEnum,
  encryptedCardNumber: `test_${number}`,
  encryptedExpiryMonth: 'test_03',
  encryptedExpiryYear: 'test_2030',
  encryptedSecurityCode: 'test_737',
  holderName,
});

const request = (reference: string, number = '4111111111111111', extra: Partial<Types.checkout.PaymentRequest> = {}): Types.checkout.PaymentRequest => ({
  merchantAccount: MERCHANT,
  amount: { value: 2500, currency: 'EUR' },
  reference,
  paymentMethod: card(number),
  returnUrl: 'https://shop.example/checkout/return',
  ...extra,
});

const native3ds2: Partial<Types.checkout.PaymentRequest> = {
  authenticationData: { threeDSRequestData: { nativeThreeDS: 'preferred' as Types.checkout.ThreeDSRequestData.NativeThreeDSEnum } },
  channel: 'Web' as Types.checkout.PaymentRequest.ChannelEnum,
  origin: 'https://shop.example',
  browserInfo: { acceptHeader: 'text/html', colorDepth: 24, javaEnabled: false, language: 'en-GB', screenHeight: 900, screenWidth: 1440, timeZoneOffset: 0, userAgent: 'Mozilla/5.0' },
};

/** What Adyen's 3DS2 component hands back after the fingerprint: base64 JSON naming the action's token. */
const fingerprintResult = (authorisationToken: string) => Buffer.from(JSON.stringify({ threeDSCompInd: 'U', authorisationToken })).toString('base64');

describe('the official Adyen library: Checkout beyond /payments', () => {
  it('lists payment methods for the country and currency, as Drop-in asks first', async () => {
    const { payments } = await start(81);
    const nl = await payments.paymentMethods({ merchantAccount: MERCHANT, countryCode: 'NL', amount: { value: 1000, currency: 'EUR' } });
    expect(nl.paymentMethods?.map((m) => m.type)).toEqual(['scheme', 'ideal']);
    expect(nl.paymentMethods?.[0]).toMatchObject({ name: 'Cards', brands: ['visa', 'mc', 'amex'] });
    const sg = await payments.paymentMethods({ merchantAccount: MERCHANT, countryCode: 'SG', amount: { value: 1000, currency: 'SGD' } });
    expect(sg.paymentMethods?.map((m) => m.type)).toEqual(['scheme', 'grabpay_SG']);
    const blocked = await payments.paymentMethods({ merchantAccount: MERCHANT, countryCode: 'NL', blockedPaymentMethods: ['ideal'] });
    expect(blocked.paymentMethods?.map((m) => m.type)).toEqual(['scheme']);
    await expect(payments.paymentMethods({ merchantAccount: '' })).rejects.toMatchObject({ statusCode: 422, errorCode: '901' });
  });

  it('creates a session, the shopper pays on the hosted page, and the session result reads completed with the payment', async () => {
    const { sim, payments } = await start(82);
    const session = await payments.sessions({
      merchantAccount: MERCHANT,
      amount: { value: 4200, currency: 'EUR' },
      reference: 'ord_session_1',
      returnUrl: 'https://shop.example/return',
      countryCode: 'NL',
      mode: 'hosted' as Types.checkout.CreateCheckoutSessionRequest.ModeEnum,
    });
    expect(session).toMatchObject({ reference: 'ord_session_1', merchantAccount: MERCHANT, amount: { value: 4200, currency: 'EUR' }, mode: 'hosted' });
    expect(session.id).toMatch(/^CS\d{16}$/);
    expect(session.sessionData).toBeTruthy();
    expect(session.expiresAt.getTime() - Date.now()).toBeGreaterThan(55 * 60_000);
    // The hosted page, on the host the library called (here the front for checkout-test.adyen.com).
    expect(session.url).toMatch(new RegExp(`/__sim/session/${session.id}$`));

    // Before the shopper finishes, there is no result to ask about.
    await expect(payments.getResultOfPaymentSession(session.id, 'nope')).rejects.toMatchObject({ statusCode: 422 });

    const back = await fetch(`${sim.url}/__sim/session/${session.id}?outcome=authorise`, { redirect: 'manual' });
    expect(back.status).toBe(302);
    const to = new URL(back.headers.get('location')!);
    expect(to.origin + to.pathname).toBe('https://shop.example/return');
    expect(to.searchParams.get('sessionId')).toBe(session.id);
    const result = await payments.getResultOfPaymentSession(session.id, to.searchParams.get('sessionResult')!);
    expect(result).toMatchObject({ id: session.id, reference: 'ord_session_1', status: 'completed', payments: [{ amount: { value: 4200, currency: 'EUR' }, resultCode: 'Authorised' }] });
    expect(sim.ledger.entries().map((e) => [e.kind, e.orderId, e.amount])).toEqual([
      ['authorization', 'ord_session_1', 4200],
      ['capture', 'ord_session_1', 4200],
    ]);
    // A finished session cannot be paid twice.
    expect((await fetch(`${sim.url}/__sim/session/${session.id}`, { redirect: 'manual' })).status).toBe(409);
  });

  it('runs native 3-D Secure 2: IdentifyShopper, then ChallengeShopper, then Authorised — or 200 Refused when the challenge fails', async () => {
    const { sim, payments } = await start(83);
    for (const [reference, outcome, resultCode] of [
      ['ord_3ds2_ok', 'authorise', 'Authorised'],
      ['ord_3ds2_fail', 'refuse', 'Refused'],
    ] as const) {
      const identify = await payments.payments(request(reference, '4917610000000000', native3ds2));
      expect(identify.resultCode).toBe('IdentifyShopper');
      const fingerprintAction = identify.action as Types.checkout.CheckoutThreeDS2Action;
      expect(fingerprintAction).toMatchObject({ type: 'threeDS2', subtype: 'fingerprint', paymentMethodType: 'scheme' });
      expect(JSON.parse(Buffer.from(fingerprintAction.token!, 'base64').toString())).toMatchObject({ threeDSServerTransID: expect.stringMatching(/^[0-9]{8}-[0-9]{4}-/) });

      const challenge = await payments.paymentsDetails({ details: { threeDSResult: fingerprintResult(fingerprintAction.authorisationToken!) } });
      expect(challenge.resultCode).toBe('ChallengeShopper');
      const challengeAction = challenge.action as Types.checkout.CheckoutThreeDS2Action;
      expect(challengeAction).toMatchObject({ type: 'threeDS2', subtype: 'challenge' });

      // The simulated ACS stands in for the shopper answering the issuer's challenge.
      const acs = (await (await fetch(`${sim.url}/__sim/3ds2/${challengeAction.authorisationToken}?outcome=${outcome}`)).json()) as { threeDSResult: string };
      const done = await payments.paymentsDetails({ details: { threeDSResult: acs.threeDSResult } });
      expect(done).toMatchObject({ resultCode, merchantReference: reference });
      if (resultCode === 'Refused') expect(done).toMatchObject({ refusalReasonCode: '11', refusalReason: '3D Not Authenticated' });
      // Submitting the same result again replays the answer, and moves no money twice.
      expect((await payments.paymentsDetails({ details: { threeDSResult: acs.threeDSResult } })).resultCode).toBe(resultCode);
    }
    expect(sim.ledger.entries().map((e) => [e.kind, e.orderId])).toEqual([
      ['authorization', 'ord_3ds2_ok'],
      ['capture', 'ord_3ds2_ok'],
    ]);
    // A threeDSResult that is not the component's base64 JSON is a validation error.
    await expect(payments.paymentsDetails({ details: { threeDSResult: '%%%' } })).rejects.toMatchObject({ statusCode: 422, errorCode: '702' });
  });

  it('answers a redirect refused at the bank with 200 resultCode Refused from /payments/details', async () => {
    const { sim, payments } = await start(84);
    const redirect = await payments.payments(request('ord_redirect_refused', '4212345678901237'));
    expect(redirect.resultCode).toBe('RedirectShopper');
    const url = (redirect.action as Types.checkout.CheckoutRedirectAction).url!;
    // The page is on the host the library called; the shopper's browser reaches the simulator itself.
    const back = await fetch(`${sim.url}${new URL(url).pathname}?outcome=refuse`, { redirect: 'manual' });
    const redirectResult = new URL(back.headers.get('location')!).searchParams.get('redirectResult')!;
    const details = await payments.paymentsDetails({ details: { redirectResult } });
    expect(details).toMatchObject({ resultCode: 'Refused', refusalReasonCode: '11', merchantReference: 'ord_redirect_refused' });
    expect(sim.ledger.entries()).toEqual([]);
  });

  it('cancels by merchant reference with /cancels: received, the hold voided, TECHNICAL_CANCEL notified with a valid HMAC', async () => {
    const { sim, receiver, payments, modifications } = await start(85);
    const held = await payments.payments(request('ord_timeout', '4111111111111111', { additionalData: { manualCapture: 'true' } }));
    expect(held.resultCode).toBe('Authorised');
    const cancelled = await modifications.cancelAuthorisedPayment({ merchantAccount: MERCHANT, paymentReference: 'ord_timeout', reference: 'tc-1' }, { idempotencyKey: 'tc-key-1' });
    expect(cancelled).toMatchObject({ status: 'received', paymentReference: 'ord_timeout', merchantAccount: MERCHANT, reference: 'tc-1' });
    expect(cancelled.pspReference).toMatch(/^\d{16}$/);
    // The retry a timeout invites is the same cancel.
    expect((await modifications.cancelAuthorisedPayment({ merchantAccount: MERCHANT, paymentReference: 'ord_timeout', reference: 'tc-1' }, { idempotencyKey: 'tc-key-1' })).pspReference).toBe(cancelled.pspReference);
    // A reference Adyen never saw: received, and the notification says it failed.
    const unknown = await modifications.cancelAuthorisedPayment({ merchantAccount: MERCHANT, paymentReference: 'ord_never_sent' });
    expect(unknown.status).toBe('received');
    await expect(modifications.cancelAuthorisedPayment({ merchantAccount: MERCHANT } as Types.checkout.StandalonePaymentCancelRequest)).rejects.toMatchObject({ statusCode: 422, errorCode: '702' });

    expect(sim.ledger.entries().map((e) => [e.kind, e.orderId, e.amount])).toEqual([
      ['authorization', 'ord_timeout', 2500],
      ['void', 'ord_timeout', 2500],
    ]);
    await receiver.waitFor(3);
    await sim.webhooks.settled();
    const cancels = receiver.received.map(itemOf).filter((i) => String(i.eventCode) === 'TECHNICAL_CANCEL');
    expect(cancels.map((i) => [i.merchantReference, i.success, i.originalReference])).toEqual([
      ['ord_timeout', 'true', held.pspReference],
      ['ord_never_sent', 'false', undefined],
    ]);
    expect(cancels.every((i) => new hmacValidator().validateHMAC(i, HMAC_KEY))).toBe(true);
  });
});
