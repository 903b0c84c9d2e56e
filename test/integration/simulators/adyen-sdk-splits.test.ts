import type { AgentOptions } from 'node:https';
import adyen, { type Types } from '@adyen/api-library';
import { afterEach, describe, expect, it } from 'vitest';
import { startAdyenSim } from '../../../simulators/adyen/index.js';
import { startTlsFront } from './tls-front.js';

/**
 * Adyen split payments through the official library (set up as in adyen-sdk.test.ts: the library
 * calls checkout-test.adyen.com, a TLS front for that name hands the bytes to the simulator).
 */
const { CheckoutAPI, Client, EnvironmentEnum, HttpClientException, HttpURLConnectionClient } = adyen;
const API_KEY = 'AQE_paychaos_test_api_key';
const MERCHANT = 'PaychaosECOM';

let closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of closers.reverse()) await close();
  closers = [];
});

async function start(seed: number) {
  const sim = await startAdyenSim({ seed, apiKey: API_KEY });
  closers.push(sim.close);
  const front = await startTlsFront('checkout-test.adyen.com', sim.url);
  closers.push(front.close);
  const client = new Client({ apiKey: API_KEY, environment: EnvironmentEnum.TEST });
  const http = new HttpURLConnectionClient();
  Object.assign(http, { agentOptions: front.agentOptions satisfies AgentOptions });
  client.httpClient = http;
  const checkout = new CheckoutAPI(client);
  return { sim, payments: checkout.PaymentsApi, modifications: checkout.ModificationsApi };
}

type Split = Types.checkout.Split;
const split = (type: string, value: number | undefined, account?: string, reference?: string): Split =>
  ({ type: type as Types.checkout.Split.TypeEnum, ...(account ? { account } : {}), ...(reference ? { reference } : {}), ...(value !== undefined ? { amount: { value, currency: 'EUR' } } : {}) }) as Split;

const request = (reference: string, splits: Split[] | undefined, extra: Partial<Types.checkout.PaymentRequest> = {}): Types.checkout.PaymentRequest => ({
  merchantAccount: MERCHANT,
  amount: { value: 10_000, currency: 'EUR' },
  reference,
  paymentMethod: { type: 'scheme', encryptedCardNumber: 'test_4111111111111111', encryptedExpiryMonth: 'test_03', encryptedExpiryYear: 'test_2030', encryptedSecurityCode: 'test_737' } as Types.checkout.CardDetails,
  returnUrl: 'https://shop.example/checkout/return',
  ...(splits ? { splits } : {}),
  ...extra,
});

const rejection = async (p: Promise<unknown>) => {
  const e = await p.catch((err: unknown) => err);
  expect(e).toBeInstanceOf(HttpClientException);
  return e as InstanceType<typeof HttpClientException>;
};

const SALE = [split('BalanceAccount', 9_000, 'BA00000000000000000000001', 'sale-1'), split('Commission', 1_000), split('PaymentFee', undefined, 'BA00000000000000000000001')];

describe('Adyen split payments through the official library', () => {
  it('authorises a payment split between a user and the platform, and a full capture books with the authorisation splits', async () => {
    const { sim, payments, modifications } = await start(81);
    const held = await payments.payments(request('ord_split_1', SALE, { additionalData: { manualCapture: 'true' } }));
    expect(held.resultCode).toBe('Authorised');
    const capture = await modifications.captureAuthorisedPayment(held.pspReference!, { merchantAccount: MERCHANT, amount: { value: 10_000, currency: 'EUR' } });
    expect(capture.splits?.map((s) => [s.type, s.amount?.value, s.account])).toEqual([
      ['BalanceAccount', 9_000, 'BA00000000000000000000001'],
      ['Commission', 1_000, undefined],
      ['PaymentFee', undefined, 'BA00000000000000000000001'],
    ]);
    // Splits move money among the platform's accounts: the ledger has the shopper's payment only.
    expect(sim.ledger.byOrder('ord_split_1').map((e) => [e.kind, e.amount])).toEqual([['authorization', 10_000], ['capture', 10_000]]);
  });

  it('takes split data on a partial capture and a refund, which must add up to their own amounts', async () => {
    const { payments, modifications } = await start(82);
    const held = await payments.payments(request('ord_split_2', SALE, { additionalData: { manualCapture: 'true' } }));
    const partialSplits = [split('BalanceAccount', 5_400, 'BA00000000000000000000001', 'sale-2a'), split('Commission', 600)];
    const partial = await modifications.captureAuthorisedPayment(held.pspReference!, { merchantAccount: MERCHANT, amount: { value: 6_000, currency: 'EUR' }, splits: partialSplits });
    expect(partial.splits?.map((s) => s.amount?.value)).toEqual([5_400, 600]);
    const bare = await modifications.captureAuthorisedPayment(held.pspReference!, { merchantAccount: MERCHANT, amount: { value: 1_000, currency: 'EUR' } });
    expect(bare.splits).toBeUndefined(); // a partial capture without split data: all to the liable account

    const bad = await rejection(modifications.refundCapturedPayment(held.pspReference!, { merchantAccount: MERCHANT, amount: { value: 2_000, currency: 'EUR' }, splits: [split('BalanceAccount', 1_500, 'BA00000000000000000000001', 'r-1')] }));
    expect(bad).toMatchObject({ statusCode: 422, errorCode: '702' });
    const refund = await modifications.refundCapturedPayment(held.pspReference!, { merchantAccount: MERCHANT, amount: { value: 2_000, currency: 'EUR' }, splits: [split('BalanceAccount', 1_800, 'BA00000000000000000000001', 'r-1'), split('Commission', 200)] });
    expect(refund.splits?.map((s) => s.amount?.value)).toEqual([1_800, 200]);
  });

  it('refuses split instructions that do not add up or lack what their type needs, naming the item', async () => {
    const { sim, payments } = await start(83);
    const cases: Array<[Split[], string, string]> = [
      [[split('BalanceAccount', 9_000, 'BA1', 'x'), split('Commission', 999)], '702', 'sum 9999'],
      [[split('BalanceAccount', 10_000, undefined, 'x')], '702', "splits[0].account"],
      [[split('BalanceAccount', 10_000, 'BA1')], '702', "splits[0].reference"],
      [[split('Commission', 10_000), split('Bogus', 0, 'BA1')], '702', "splits[1].type"],
      [[{ type: 'Commission', amount: { value: 10_000, currency: 'USD' } } as Split], '138', 'splits[0].amount'],
    ];
    for (const [splits, code, names] of cases) {
      const e = await rejection(payments.payments(request(`ord_bad_${code}_${names}`, splits)));
      expect(e, names).toMatchObject({ statusCode: 422, errorCode: code });
      expect(e.apiError?.message).toContain(names);
    }
    expect(sim.ledger.entries()).toEqual([]);
  });
});
