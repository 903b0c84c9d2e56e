import { describe, expect, it } from 'vitest';
import { classifyResponse, planShopper, requestFor, resolveTrafficConfig, stepShouldRun, type Classification, type ShopperPlan, type Step } from '../../../load/lib/index.js';

const config = resolveTrafficConfig({ runId: 'req', seed: 2 });
const plan: ShopperPlan = planShopper({ index: 0 }, config);
const pay = (label: Step['label'], when: Step['when'], key = `${plan.orderId}-k1`): Step => ({ kind: 'pay', label, idempotencyKey: key, delayMs: 0, concurrent: false, when });
const c = (status: number, body = ''): Classification => classifyResponse(status, body);
const found = (status: string) => ({ found: true, classification: classifyResponse(200, JSON.stringify({ status })) });

describe('requests of a plan', () => {
  it('submits the order as the reference gateway expects, the key in the header', () => {
    const r = requestFor(plan, pay('first', 'always'));
    expect(r).toMatchObject({ method: 'POST', path: '/payments', name: 'POST /payments' });
    expect(r.headers['idempotency-key']).toBe(`${plan.orderId}-k1`);
    expect(JSON.parse(r.body!)).toEqual({ orderId: plan.orderId, amount: plan.amount, currency: plan.currency, paymentMethod: plan.paymentMethod, provider: plan.provider });
  });

  it('sends the same parameters under a new key for the double-charge trap', () => {
    const first = requestFor(plan, pay('first', 'always'));
    const trap = requestFor(plan, pay('new_key', 'always', `${plan.orderId}-k2`));
    expect(trap.body).toBe(first.body);
    expect(trap.headers['idempotency-key']).not.toBe(first.headers['idempotency-key']);
  });

  it('queries the order without putting its id in the request name', () => {
    const q = requestFor(plan, { kind: 'query', label: 'query', idempotencyKey: '', delayMs: 0, concurrent: false, when: 'always' });
    expect(q).toMatchObject({ method: 'GET', path: `/payments/${plan.orderId}`, body: null, name: 'GET /payments/{orderId}' });
  });
});

describe('conditional steps', () => {
  it.each([
    ['a retry after a timeout', 'after_unknown', { lastPay: c(0) }, true],
    ['a retry after a 504', 'after_unknown', { lastPay: c(504) }, true],
    ['a retry after a charge', 'after_unknown', { lastPay: c(201) }, false],
    ['a retry after a decline', 'after_unknown', { lastPay: c(402) }, false],
    ['a retry after a 409 (the other request will answer)', 'after_unknown', { lastPay: c(409) }, false],
    ['a retry once the query shows the charge', 'after_unknown', { lastPay: c(0), lastQuery: found('succeeded') }, false],
    ['a retry when the query finds nothing', 'after_unknown', { lastPay: c(0), lastQuery: { found: false } }, true],
    ['a resume when the order is unknown', 'unless_paid', { lastQuery: { found: false } }, true],
    ['a resume when the order is paid', 'unless_paid', { lastQuery: found('succeeded') }, false],
    ['a resume when the payment is still pending', 'unless_paid', { lastQuery: found('pending') }, false],
    ['a resume after a failed payment', 'unless_paid', { lastQuery: found('failed') }, true],
  ] as const)('runs %s: %s', (_name, when, state, expected) => {
    expect(stepShouldRun(pay('retry', when), state)).toBe(expected);
  });
});

describe('steps after the charge', () => {
  const refund: Step = { kind: 'refund', label: 'refund', idempotencyKey: `${plan.orderId}-r1`, delayMs: 0, concurrent: false, when: 'if_paid', amount: 123 };
  const cancel: Step = { kind: 'cancel', label: 'cancel', idempotencyKey: `${plan.orderId}-c1`, delayMs: 0, concurrent: false, when: 'if_held' };
  const answer = (status: string, errorCode?: string): string => JSON.stringify({ paymentId: 'p', orderId: plan.orderId, provider: 'stripe', status, ...(errorCode ? { errorCode } : {}) });

  it('asks the gateway for a refund of a named amount and for a cancel, by order id, under the step\'s key', () => {
    const r = requestFor(plan, refund);
    expect(r).toMatchObject({ method: 'POST', path: `/payments/${plan.orderId}/refunds`, name: 'POST /payments/{orderId}/refunds' });
    expect(r.headers['idempotency-key']).toBe(`${plan.orderId}-r1`);
    expect(JSON.parse(r.body!)).toEqual({ amount: 123 });
    const x = requestFor(plan, cancel);
    expect(x).toMatchObject({ method: 'POST', path: `/payments/${plan.orderId}/cancel`, name: 'POST /payments/{orderId}/cancel', body: '{}' });
    expect(x.headers['idempotency-key']).toBe(`${plan.orderId}-c1`);
  });

  it.each([
    ['a refund once paid', 'if_paid', { lastPay: c(201, answer('succeeded')) }, true],
    ['a refund of a declined order', 'if_paid', { lastPay: c(402, answer('failed', 'card_declined')) }, false],
    ['a refund after a timed-out submit', 'if_paid', { lastPay: c(0) }, false],
    ['a refund of a waiting payment a query since shows paid (a redirect\'s webhook came)', 'if_paid', { lastPay: c(202, answer('pending')), lastQuery: { found: true, classification: c(200, answer('succeeded')) } }, true],
    ['a refund of a waiting payment still waiting', 'if_paid', { lastPay: c(202, answer('pending')), lastQuery: { found: true, classification: c(200, answer('pending')) } }, false],
    ['a wait for a payment answered 202', 'while_waiting', { lastPay: c(202, answer('pending')) }, true],
    ['a wait while the query shows it still pending', 'while_waiting', { lastPay: c(202, answer('pending')), lastQuery: { found: true, classification: c(200, answer('pending')) } }, true],
    ['a wait once the query shows it paid', 'while_waiting', { lastPay: c(202, answer('pending')), lastQuery: { found: true, classification: c(200, answer('succeeded')) } }, false],
    ['a wait once the query shows it failed', 'while_waiting', { lastPay: c(202, answer('pending')), lastQuery: { found: true, classification: c(200, answer('failed', 'card_declined')) } }, false],
    ['a wait for a payment paid at once', 'while_waiting', { lastPay: c(201, answer('succeeded')) }, false],
    ['a wait after a timed-out submit (not accepted: its retry queries)', 'while_waiting', { lastPay: c(504) }, false],
    ['a cancel of a held payment (202)', 'if_held', { lastPay: c(202, answer('pending')) }, true],
    ['a cancel of a captured payment', 'if_held', { lastPay: c(201, answer('succeeded')) }, false],
    ['a cancel after a timeout (the charge may be anywhere)', 'if_held', { lastPay: c(504) }, false],
    ['a capture of a held payment (202)', 'if_authorised', { lastPay: c(202, answer('pending')) }, true],
    ['a capture after the authorisation answered 502 (charged, then 500: the provider may hold it)', 'if_authorised', { lastPay: c(502, answer('pending', 'provider_error')) }, true],
    ['a capture after a timed-out authorisation', 'if_authorised', { lastPay: c(504) }, true],
    ['a capture after no answer at all', 'if_authorised', { lastPay: c(0) }, true],
    ['a capture of a payment captured at once', 'if_authorised', { lastPay: c(201, answer('succeeded')) }, false],
    ['a capture of a declined authorisation', 'if_authorised', { lastPay: c(402, answer('failed', 'card_declined')) }, false],
    ['a capture while another submit of the order is in flight (409)', 'if_authorised', { lastPay: c(409, '{"error":{"code":"PAYCHAOS_ERR_GATEWAY_IDEMPOTENCY_IN_FLIGHT"}}') }, false],
    ['a lifecycle retry after a 504', 'after_lifecycle_unknown', { lastLifecycle: c(504, answer('pending', 'outcome_unknown')) }, true],
    ['a lifecycle retry after no answer', 'after_lifecycle_unknown', { lastLifecycle: c(0) }, true],
    ['a lifecycle retry after a refund done', 'after_lifecycle_unknown', { lastLifecycle: c(201, answer('succeeded')) }, false],
    ['a lifecycle retry after the gateway refused (409, nothing sent)', 'after_lifecycle_unknown', { lastLifecycle: c(409, '{"error":{"code":"PAYCHAOS_ERR_GATEWAY_BAD_REQUEST"}}') }, false],
    ['a lifecycle retry when the step never ran', 'after_lifecycle_unknown', { lastPay: c(201, answer('succeeded')) }, false],
  ] as const)('runs %s: %s', (_name, when, state, expected) => {
    expect(stepShouldRun({ ...refund, when }, state)).toBe(expected);
  });

  it('reads a gateway\'s 409 refusal of a refund as failed (nothing sent), and its in-flight 409 as pending', () => {
    expect(c(409, '{"error":{"code":"PAYCHAOS_ERR_GATEWAY_BAD_REQUEST","message":"already refunded in full"}}')).toMatchObject({ outcome: 'failed', errorCode: 'invalid_request', providerCode: 'PAYCHAOS_ERR_GATEWAY_BAD_REQUEST' });
    expect(c(409, '{"error":{"code":"PAYCHAOS_ERR_GATEWAY_IDEMPOTENCY_IN_FLIGHT"}}')).toMatchObject({ outcome: 'pending', errorCode: 'duplicate_transaction' });
  });
});
