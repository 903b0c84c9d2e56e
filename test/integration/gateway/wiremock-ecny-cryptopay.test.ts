import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkNoDoubleCharge } from '../../../src/analysis/index.js';
import { supervisedProcesses } from '../../../src/stack/index.js';
import { LocalWalletClient } from '../../../gateway/clients/localwallet.js';
import { createProviderClient, type ChargeRequest } from '../../../gateway/clients/index.js';
import { markWireMockJournal, startSimulator, wiremockLedger, type StartedWireMockSimulator } from '../../../simulators/index.js';
import { LOCALWALLET_CHARGE_RULE, chargeRuleFor } from '../../../simulators/wiremock/journal.js';

/**
 * The digital yuan (wiremock:ecny) and a crypto gateway (wiremock:cryptopay): two bring-your-own
 * WireMock providers beside localwallet, each a real WireMock (java -jar) serving its bundled
 * stubs. The gateway's client speaks each from its wire description; the ledger is rebuilt from
 * each one's journal by the charge rule that description gives — and the no-double-charge check
 * over it turns red on an order paid twice.
 */
const sims: Record<string, StartedWireMockSimulator> = {};
const clients: LocalWalletClient[] = [];

beforeAll(async () => {
  const [ecny, crypto] = await Promise.all(['wiremock:ecny', 'wiremock:cryptopay'].map((p) => startSimulator(p, { processes: supervisedProcesses })));
  sims['wiremock:ecny'] = ecny as StartedWireMockSimulator;
  sims['wiremock:cryptopay'] = crypto as StartedWireMockSimulator;
}, 60_000);
afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await Promise.all(Object.values(sims).map((s) => s.close()));
});

const client = (provider: string): LocalWalletClient => {
  const c = createProviderClient(provider, { url: sims[provider]!.url, timeoutMs: 2000 }) as LocalWalletClient;
  clients.push(c);
  return c;
};
let n = 0;
const order = (currency: string, overrides: Partial<ChargeRequest> = {}): ChargeRequest => ({ orderId: `ord_wm_${++n}_${Date.now()}`, amount: 1250, currency, paymentMethod: 'pm_wallet', providerKey: `k${n}`, ...overrides });

describe.each([
  ['wiremock:ecny', 'cny', 'WALLET_BALANCE_INSUFFICIENT'],
  ['wiremock:cryptopay', 'usd', 'UNDERPAID'],
])('%s through the gateway client and the journal ledger', (provider, currency, balanceCode) => {
  it('creates the payment, polls it from pending to succeeded, and its ledger has the order once', async () => {
    const mark = await markWireMockJournal(sims[provider]!.adminUrl);
    const req = order(currency);
    const paid = await client(provider).charge(req);
    expect(paid).toMatchObject({ outcome: 'succeeded', paymentId: expect.any(String) });
    const ledger = await wiremockLedger(sims[provider]!.adminUrl, provider, { since: mark });
    expect(ledger.map((e) => [e.kind, e.orderId, e.paymentId, e.amount])).toEqual([
      ['authorization', req.orderId, paid.paymentId, 1250],
      ['capture', req.orderId, paid.paymentId, 1250],
    ]);
    // The status query reads the same wire: final and succeeded.
    expect(await client(provider).query({ orderId: req.orderId, providerPaymentId: paid.paymentId!, providerReference: req.orderId, providerKey: req.providerKey, amount: req.amount, currency: req.currency })).toMatchObject({ kind: 'final', result: { outcome: 'succeeded' } });
  });

  it('reads its refusals through its own code table', async () => {
    const declined = await client(provider).charge(order(currency, { amount: 5100 }));
    expect(declined).toMatchObject({ outcome: 'failed', errorCode: 'insufficient_funds', providerCode: balanceCode, providerStatus: 402 });
  });

  it('catches an order paid twice in its journal ledger (negative control of the check above)', async () => {
    const mark = await markWireMockJournal(sims[provider]!.adminUrl);
    const req = order(currency);
    const a = await client(provider).charge(req);
    const b = await client(provider).charge({ ...req, providerKey: 'another' });
    const verdict = checkNoDoubleCharge(await wiremockLedger(sims[provider]!.adminUrl, provider, { since: mark }));
    expect(verdict.violations).toEqual([expect.objectContaining({ orderId: req.orderId, provider, paymentIds: [a.paymentId, b.paymentId] })]);
  });
});

describe('the charge rules of the bundled WireMock providers', () => {
  it('come from each provider\'s wire description, and localwallet keeps its own', () => {
    expect(chargeRuleFor('wiremock:localwallet')).toEqual(LOCALWALLET_CHARGE_RULE);
    expect(chargeRuleFor('wiremock:ecny')).toMatchObject({ path: '/ecny/v1/payments', orderId: 'merchantOrderNo', amount: 'amountFen', paymentId: 'paymentNo' });
    expect(chargeRuleFor('wiremock:cryptopay')).toMatchObject({ path: '/api/v1/invoices', orderId: 'orderId', amount: 'price.amountMinor', currency: 'price.currency' });
  });

  it('the digital yuan refuses any currency but CNY', async () => {
    const usd = await client('wiremock:ecny').charge(order('usd'));
    expect(usd).toMatchObject({ outcome: 'failed', errorCode: 'invalid_request', providerCode: 'CURRENCY_NOT_SUPPORTED', providerStatus: 422 });
  });
});
