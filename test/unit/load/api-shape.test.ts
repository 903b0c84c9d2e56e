import { describe, expect, it } from 'vitest';
import { classifyWith, requestWith, unknownPlaceholders, valueAt, type ApiShape } from '../../../src/load/index.js';
import { checkScenario } from '../../../src/scenario/index.js';

const plan = { orderId: 'run-1/a b', amount: 1250, currency: 'usd', paymentMethod: 'pm_card_visa', provider: 'stripe', variant: 'baseline', method: 'card', steps: [] } as never;
const pay = { kind: 'pay', idempotencyKey: 'k-1', label: 'first', delayMs: 0 } as never;
const query = { kind: 'query', idempotencyKey: 'k-q', label: 'check', delayMs: 0 } as never;

const api: ApiShape = {
  request: { method: 'POST', path: '/api/orders/${orderId}/pay', headers: { 'X-Request-Id': '${idempotencyKey}' }, body: { total: { value: '${amount}', ccy: '${currency}' }, note: 'order ${orderId}' } },
  classify: {
    outcome: { path: 'result.state', succeeded: ['PAID'], failed: ['DECLINED'], pending: ['UNKNOWN'] },
    errorCode: { path: 'result.reason', map: { generic_decline: 'card_declined' } },
    providerPaymentId: { path: 'result.psp[0].id' },
  },
};

describe('your API described: requests', () => {
  it('fills placeholders: URL-encoded in the path, as text in headers, a lone ${amount} as the number', () => {
    const req = requestWith(api, plan, pay)!;
    expect(req.method).toBe('POST');
    expect(req.path).toBe('/api/orders/run-1%2Fa%20b/pay');
    expect(req.headers['x-request-id']).toBe('k-1');
    expect(req.headers['content-type']).toBe('application/json');
    expect(JSON.parse(req.body!)).toEqual({ total: { value: 1250, ccy: 'usd' }, note: 'order run-1/a b' });
    // The metric name is the template's, never the order's (bounded cardinality).
    expect(req.name).toBe('POST /api/orders/${orderId}/pay');
  });
  it('has no query request when none is described', () => {
    expect(requestWith(api, plan, query)).toBeUndefined();
    expect(requestWith({ ...api, query: { method: 'GET', path: '/o/${orderId}' } }, plan, query)!.body).toBeNull();
  });
  it('names every unknown placeholder with its path', () => {
    expect(unknownPlaceholders({ a: ['${orderId}', '${orderID}'], b: '${amount} ${cvc}' }, 'load.request.body')).toEqual([
      { path: 'load.request.body.a[1]', name: 'orderID' },
      { path: 'load.request.body.b', name: 'cvc' },
    ]);
  });
});

describe('your API described: answers', () => {
  it('reads the state, maps codes, and keeps the provider ids that join the ledger', () => {
    expect(classifyWith(api.classify, 200, JSON.stringify({ result: { state: 'PAID', psp: [{ id: 'pi_1' }] } }))).toEqual({ outcome: 'succeeded', status: 200, providerPaymentId: 'pi_1' });
    expect(classifyWith(api.classify, 200, JSON.stringify({ result: { state: 'DECLINED', reason: 'generic_decline' } }))).toMatchObject({ outcome: 'failed', errorCode: 'card_declined' });
    // A normalised code passes as is; anything else is unknown, its own text kept as the provider code.
    expect(classifyWith(api.classify, 200, JSON.stringify({ result: { state: 'DECLINED', reason: 'expired_card' } }))).toMatchObject({ errorCode: 'expired_card' });
    expect(classifyWith(api.classify, 200, JSON.stringify({ result: { state: 'DECLINED', reason: 'weird' } }))).toMatchObject({ errorCode: 'unknown', providerCode: 'weird' });
    expect(classifyWith(api.classify, 200, JSON.stringify({ result: { state: 'UNKNOWN' } }))).toMatchObject({ outcome: 'pending', errorCode: 'outcome_unknown' });
  });
  it('reads an answer with no known state from its HTTP status alone', () => {
    expect(classifyWith(api.classify, 502, '<html>bad gateway</html>')).toMatchObject({ outcome: 'failed', errorCode: 'provider_error', status: 502 });
    expect(classifyWith(api.classify, 504, '')).toMatchObject({ outcome: 'pending', errorCode: 'outcome_unknown' });
  });
  it('walks dot paths with indices and stops at anything missing', () => {
    expect(valueAt({ a: { b: [{ c: 1 }, { c: 2 }] } }, 'a.b[1].c')).toBe(2);
    expect(valueAt({ a: null }, 'a.b')).toBeUndefined();
    expect(valueAt([1], 'a')).toBeUndefined();
  });
});

describe('load.request in a scenario file', () => {
  const base = { name: 'mine', stack: { target: 'http://127.0.0.1:9' }, load: { executor: 'constant-arrival-rate', rate: 1, duration: '1s' } };
  it('needs load.classify, the built-in engine and known placeholders — each problem at its path', () => {
    const { problems } = checkScenario({ ...base, load: { ...base.load, engine: 'k6', request: { method: 'POST', path: '/pay/${order}' } } });
    expect(problems.map((p) => p.path).sort()).toEqual(['load.classify', 'load.engine', 'load.request.path']);
  });
  it('accepts a full description', () => {
    const { problems } = checkScenario({ ...base, load: { ...base.load, request: api.request, classify: api.classify } });
    expect(problems).toEqual([]);
  });
});
