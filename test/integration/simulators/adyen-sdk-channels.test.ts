import type { AgentOptions } from 'node:https';
import adyen, { type Types } from '@adyen/api-library';
import { afterEach, describe, expect, it } from 'vitest';
import { startAdyenSim } from '../../../simulators/adyen/index.js';
import { startTlsFront } from './tls-front.js';

/**
 * Adyen's official Node library paying with Apple Pay and Google Pay (ApplePayDetails,
 * GooglePayDetails: its own request classes) and iDEAL (IdealDetails) against the simulator, behind
 * the TLS front as in adyen-sdk.test.ts. The tokens are built here from the wallets' documented
 * shapes (Apple's payment data, Google's payment method token), not from the simulator's code.
 */
const { CheckoutAPI, Client, EnvironmentEnum, HttpURLConnectionClient } = adyen;
const MERCHANT = 'PaychaosECOM';

let closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of closers.reverse()) await close();
  closers = [];
});

async function payments() {
  const sim = await startAdyenSim({ seed: 181, apiKey: 'AQE_paychaos_test_api_key' });
  closers.push(sim.close);
  const front = await startTlsFront('checkout-test.adyen.com', sim.url);
  closers.push(front.close);
  const client = new Client({ apiKey: 'AQE_paychaos_test_api_key', environment: EnvironmentEnum.TEST });
  const http = new HttpURLConnectionClient();
  Object.assign(http, { agentOptions: front.agentOptions satisfies AgentOptions });
  client.httpClient = http;
  return { sim, api: new CheckoutAPI(client).PaymentsApi };
}

const request = (reference: string, currency: string, paymentMethod: Types.checkout.PaymentRequest['paymentMethod']): Types.checkout.PaymentRequest => ({
  merchantAccount: MERCHANT,
  amount: { value: 6100, currency },
  reference,
  paymentMethod,
  returnUrl: 'https://shop.example/checkout/return',
});

/** Apple's PKPaymentToken paymentData (EC_v1), base64 as Adyen takes it. */
const appleToken = (extra: Record<string, unknown> = {}) =>
  Buffer.from(JSON.stringify({ version: 'EC_v1', data: 'c2VhbGVkIHBheW1lbnQgZGF0YQ==', signature: 'MIAGCSqGSIb3DQEHAqCAMIACAQEx', header: { ephemeralPublicKey: 'MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE', publicKeyHash: 'tbq1rYt2Jm6uA0nSfsBf0gTcq5I=', transactionId: 'c1e2' }, ...extra })).toString('base64');
/** Google's payment method token (ECv2): a JSON string. */
const googleToken = JSON.stringify({ protocolVersion: 'ECv2', signature: 'MEQCIH6Q4OwQ0jAceFEkGF0JID6sJNXxOEi4r+mA7biRxqBQAiAondqoUpU/bdsrAOpZIsrHQS9nwiiNwOrr24RyPeHA0Q==', intermediateSigningKey: { signedKey: '{"keyValue":"MFkw","keyExpiration":"1542323393147"}', signatures: ['MEYCIQCO2EIi48s8VTH+ilMEpoXLFfkxAwHjfPSCVED/QDSHmQIhALLJmrUlNAY8hDQRV/y1iKZGsWpeNmIP+z+tCQHQxP0v'] }, signedMessage: '{"encryptedMessage":"YSSGK9yFdKP+mJB5+wAjnOujnThPM1E/KbbJxd3MDzPVI66ip1DBESldvQXYjjeLq6Rf1tKE+z1+nJlWiNngWp+qyj1lQrfUd1Ufn","ephemeralPublicKey":"BOdoXP+9Aq473SnGwg3JU1aiNpsd9vH2ognq4PtDtlLGa3Kj8TPf+jaQNPyDSkh3JUhiS0KyrrlWhAgNZKHYF2Y=","tag":"ZQ1Lv6n0gKsvXqIwLgtjI0jsLTK2E2gXP0kFQDRK5Ys="}' });

describe('the official Adyen library paying with Apple Pay, Google Pay and iDEAL through the simulator', () => {
  it('authorises Apple Pay and Google Pay at once, naming the wallet variant of the card brand', async () => {
    const { sim, api } = await payments();
    const apple = await api.payments(request('ord_sdk_apple', 'EUR', { type: 'applepay' as Types.checkout.ApplePayDetails.TypeEnum, applePayToken: appleToken() }), { idempotencyKey: 'sdk-apple' });
    expect(apple.resultCode).toBe('Authorised');
    expect(apple.paymentMethod).toMatchObject({ type: 'applepay', brand: 'visa_applepay' });
    const google = await api.payments(request('ord_sdk_google', 'EUR', { type: 'googlepay' as Types.checkout.GooglePayDetails.TypeEnum, googlePayToken: googleToken }), { idempotencyKey: 'sdk-google' });
    expect(google.resultCode).toBe('Authorised');
    expect(google.paymentMethod).toMatchObject({ type: 'googlepay', brand: 'visa_googlepay' });
    const mc = await api.payments(request('ord_sdk_apple_mc', 'EUR', { type: 'applepay' as Types.checkout.ApplePayDetails.TypeEnum, applePayToken: appleToken({ paychaosCard: 'mc' }) }), { idempotencyKey: 'sdk-apple-mc' });
    expect(mc.paymentMethod?.brand).toBe('mc_applepay');
    expect(sim.ledger.byOrder('ord_sdk_apple').map((e) => e.kind)).toEqual(['authorization', 'capture']);
  });

  it('refuses a token that is not the wallet\'s shape, naming the field (negative control: the token is read)', async () => {
    const { sim, api } = await payments();
    const notApple = await api.payments(request('ord_sdk_bad_apple', 'EUR', { type: 'applepay' as Types.checkout.ApplePayDetails.TypeEnum, applePayToken: Buffer.from('{"version":"v0"}').toString('base64') }), { idempotencyKey: 'sdk-bad-apple' }).catch((e: unknown) => e);
    expect(notApple).toMatchObject({ statusCode: 422, errorCode: '702' });
    expect(String((notApple as Error).message)).toContain('applePayToken');
    const noGoogle = await api.payments(request('ord_sdk_bad_google', 'EUR', { type: 'googlepay' as Types.checkout.GooglePayDetails.TypeEnum, googlePayToken: '' }), { idempotencyKey: 'sdk-bad-google' }).catch((e: unknown) => e);
    expect(noGoogle).toMatchObject({ statusCode: 422, errorCode: '702' });
    expect(sim.ledger.entries()).toEqual([]);
  });

  it('sends an iDEAL shopper to the bank: RedirectShopper, nothing charged until the bank authorises', async () => {
    const { sim, api } = await payments();
    const ideal = await api.payments(request('ord_sdk_ideal', 'EUR', { type: 'ideal' as Types.checkout.IdealDetails.TypeEnum }), { idempotencyKey: 'sdk-ideal' });
    expect(ideal.resultCode).toBe('RedirectShopper');
    expect(ideal.action).toMatchObject({ type: 'redirect', paymentMethodType: 'ideal', method: 'GET' });
    expect(sim.ledger.entries()).toEqual([]);
  });
});
