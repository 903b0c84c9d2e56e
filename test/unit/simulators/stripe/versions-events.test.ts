import { afterEach, describe, expect, it } from 'vitest';
import { isPaychaosError } from '../../../../src/kernel/index.js';
import { buildStripeSim, type StripeSim } from '../../../../simulators/stripe/index.js';
import { parseSearchQuery, SearchQueryError } from '../../../../simulators/stripe/search.js';
import { post } from './helpers.js';

let sim: StripeSim | undefined;
afterEach(async () => sim?.app.close());

/** A simulator whose webhooks are captured in memory: the bodies, in the order sent. */
function capturing(options: Parameters<typeof buildStripeSim>[0] = {}) {
  const bodies: Array<Record<string, any>> = [];
  sim = buildStripeSim({
    seed: 41,
    ...options,
    profile: { webhooks: { url: 'http://127.0.0.1:9/hooks' } },
    transport: async (_url, body) => {
      bodies.push(JSON.parse(body));
      return { status: 200, body: '' };
    },
  });
  return { sim, bodies };
}

describe('Stripe webhook endpoint settings', () => {
  it('renders events at the endpoint\'s api_version: an old one gets PaymentIntent.charges, the default does not', async () => {
    const old = capturing({ webhookApiVersion: '2019-12-03', webhookEvents: ['payment_intent.succeeded'] });
    await post(old.sim.app, '/v1/payment_intents', { amount: 1000, currency: 'usd', payment_method: 'pm_card_visa', confirm: true });
    await old.sim.webhooks.settled();
    expect(old.bodies).toHaveLength(1);
    expect(old.bodies[0]).toMatchObject({ type: 'payment_intent.succeeded', api_version: '2019-12-03', data: { object: { charges: { object: 'list' } } } });
    expect(old.bodies[0]!.data.object.charges.data).toHaveLength(1);
    await old.sim.app.close();

    const current = capturing({ webhookEvents: ['payment_intent.succeeded'] });
    await post(current.sim.app, '/v1/payment_intents', { amount: 1000, currency: 'usd', payment_method: 'pm_card_visa', confirm: true });
    await current.sim.webhooks.settled();
    expect(current.bodies[0]!.api_version).toBe('2025-10-29.clover');
    expect(current.bodies[0]!.data.object.charges).toBeUndefined();
  });

  it('sends only the subscribed events, in the order they happen', async () => {
    const { sim: s, bodies } = capturing({ webhookEvents: ['charge.captured', 'refund.created', 'refund.updated'] });
    const held = await post(s.app, '/v1/payment_intents', { amount: 1000, currency: 'usd', payment_method: 'pm_card_visa', confirm: true, capture_method: 'manual' });
    await post(s.app, `/v1/payment_intents/${held.body.id}/capture`);
    const refund = await post(s.app, '/v1/refunds', { payment_intent: held.body.id, amount: 100 });
    await post(s.app, `/v1/refunds/${refund.body.id}`, { metadata: { why: 'late' } });
    await s.webhooks.settled();
    expect(bodies.map((b) => b.type)).toEqual(['charge.captured', 'refund.created', 'refund.updated']);
    expect(bodies[0]!.data.object).toMatchObject({ captured: true, amount_captured: 1000 });
    expect(bodies[2]!.data.object.metadata).toEqual({ why: 'late' });
  });

  it('refuses a malformed API version or an event type it never sends, naming the option', () => {
    for (const options of [{ apiVersion: 'latest' }, { webhookApiVersion: '2020' }, { webhookEvents: ['invoice.paid'] }, { webhookEvents: [] }, { apiKey: '' }]) {
      let caught: unknown;
      try {
        buildStripeSim(options);
      } catch (err) {
        caught = err;
      }
      expect(isPaychaosError(caught, 'PAYCHAOS_ERR_SIM_BAD_OPTION')).toBe(true);
      expect((caught as Error).message).toContain(Object.keys(options)[0]);
    }
  });
});

describe('Stripe search query language', () => {
  it.each([
    ["metadata['order_id']:'A-1'", { join: 'AND', clauses: [{ field: 'metadata', metadataKey: 'order_id', op: ':', value: 'A-1', negate: false }] }],
    ['amount>=1000 AND -status:"failed"', { join: 'AND', clauses: [{ field: 'amount', op: '>=', value: '1000' }, { field: 'status', op: ':', value: 'failed', negate: true }] }],
    ["currency:'usd' OR currency:'eur'", { join: 'OR' }],
    ['customer:null', { clauses: [{ field: 'customer', value: null }] }],
  ])('parses %s', (query, expected) => {
    expect(parseSearchQuery(query, 'charges')).toMatchObject(expected);
  });

  it.each([
    ["status:'a' AND amount>1 OR currency:'usd'", /Cannot combine AND and OR/],
    ["colour:'red'", /unsupported search field/],
    ["email~'ab'", /at least 3 characters/],
    ['status', /could not parse/],
    ['', /Invalid query/],
  ])('refuses %s', (query, message) => {
    expect(() => parseSearchQuery(query, query.startsWith('email') ? 'customers' : 'charges')).toThrow(SearchQueryError);
    expect(() => parseSearchQuery(query, query.startsWith('email') ? 'customers' : 'charges')).toThrow(message);
  });
});

describe('Stripe merchant keys', () => {
  it('lists the webhook signing secret (and the secret key when it checks one) at /__sim/keys, as the Dashboard shows them', async () => {
    const plain = buildStripeSim({ seed: 71, webhookSecret: 'whsec_keys' });
    const keyed = buildStripeSim({ seed: 72, webhookSecret: 'whsec_keys', apiKey: 'sk_test_keys' });
    try {
      expect((await plain.app.inject({ method: 'GET', url: '/__sim/keys' })).json()).toEqual({ webhookSecret: 'whsec_keys' });
      expect((await keyed.app.inject({ method: 'GET', url: '/__sim/keys' })).json()).toEqual({ webhookSecret: 'whsec_keys', secretKey: 'sk_test_keys' });
    } finally {
      await Promise.all([plain.app.close(), keyed.app.close()]);
    }
  });
});
