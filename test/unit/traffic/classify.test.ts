import { describe, expect, it } from 'vitest';
import { NORMALISED_CODES as LIB_CODES, classifyChallenge, classifyNoResponse, classifyResponse, classifyStatus } from '../../../load/lib/index.js';
import { NORMALISED_CODES } from '../../../src/conventions/index.js';

const payment = (status: string, extra: Record<string, unknown> = {}): string =>
  JSON.stringify({ paymentId: 'pay_1', orderId: 'o1', status, provider: 'stripe', variant: 'baseline', ...extra });
const gatewayError = (code: string): string => JSON.stringify({ error: { code, message: 'm', hint: 'h' } });

describe('classifying a gateway response', () => {
  it('knows exactly the normalised codes of the telemetry conventions', () => {
    expect([...LIB_CODES].sort()).toEqual(Object.keys(NORMALISED_CODES).sort());
  });

  it.each([
    ['a charge', 201, payment('succeeded'), { outcome: 'succeeded', status: 201, provider: 'stripe' }],
    ['a replay of a charge', 200, payment('succeeded'), { outcome: 'succeeded', status: 200, provider: 'stripe' }],
    ['a decline with its reason', 402, payment('failed', { errorCode: 'insufficient_funds', providerCode: 'insufficient_funds' }), { outcome: 'failed', errorCode: 'insufficient_funds', providerCode: 'insufficient_funds', status: 402, provider: 'stripe' }],
    ['a decline with a code outside the normalised set', 402, payment('failed', { errorCode: 'weird' }), { outcome: 'failed', errorCode: 'card_declined', status: 402, provider: 'stripe' }],
    ['an unknown outcome behind a 504', 504, payment('pending', { errorCode: 'outcome_unknown' }), { outcome: 'pending', errorCode: 'outcome_unknown', status: 504, provider: 'stripe' }],
    ['a key still in flight', 409, gatewayError('PAYCHAOS_ERR_GATEWAY_IDEMPOTENCY_IN_FLIGHT'), { outcome: 'pending', errorCode: 'duplicate_transaction', providerCode: 'PAYCHAOS_ERR_GATEWAY_IDEMPOTENCY_IN_FLIGHT', status: 409 }],
    ['a key reused with other parameters', 422, gatewayError('PAYCHAOS_ERR_GATEWAY_IDEMPOTENCY_MISMATCH'), { outcome: 'failed', errorCode: 'invalid_request', providerCode: 'PAYCHAOS_ERR_GATEWAY_IDEMPOTENCY_MISMATCH', status: 422 }],
    ['a malformed request', 400, gatewayError('PAYCHAOS_ERR_GATEWAY_BAD_REQUEST'), { outcome: 'failed', errorCode: 'invalid_request', providerCode: 'PAYCHAOS_ERR_GATEWAY_BAD_REQUEST', status: 400 }],
    ['a server naming a normalised code', 503, gatewayError('provider_unavailable'), { outcome: 'failed', errorCode: 'provider_unavailable', status: 503 }],
    ['a 502 without a body', 502, '', { outcome: 'failed', errorCode: 'provider_error', status: 502 }],
    ['an HTML error page', 503, '<html>down</html>', { outcome: 'failed', errorCode: 'provider_unavailable', status: 503 }],
    ['rate limiting', 429, '', { outcome: 'failed', errorCode: 'rate_limited', status: 429 }],
    ['no answer at all', 0, '', { outcome: 'pending', errorCode: 'outcome_unknown', status: 0 }],
  ])('reads %s', (_name, status, body, expected) => {
    expect(classifyResponse(status, body)).toEqual(expected);
  });

  it('classifies by status alone when there is no body to read', () => {
    expect([201, 402, 404, 409, 503, 504].map((s) => classifyStatus(s).errorCode ?? classifyStatus(s).outcome)).toEqual([
      'succeeded', 'card_declined', 'invalid_request', 'duplicate_transaction', 'provider_unavailable', 'outcome_unknown',
    ]);
  });

  it('tells a request that never left from one whose charge may exist', () => {
    expect(classifyNoResponse('connect')).toEqual({ outcome: 'failed', errorCode: 'network_error', status: 0 });
    expect(classifyNoResponse('timeout')).toEqual({ outcome: 'pending', errorCode: 'outcome_unknown', status: 0 });
  });
});

describe('classifying a 3-D Secure page\'s answer to a shopper\'s visit', () => {
  const back = (status: string) => `https://shop.example/back?payment_intent=pi_1&payment_intent_client_secret=s&redirect_status=${status}`;
  it.each([
    ['sent back paid', 302, back('succeeded'), '', 'succeeded', undefined],
    ['sent back failed', 302, back('failed'), '', 'failed', 'authentication_failed'],
    ['sent back without saying how it went', 303, 'https://shop.example/back', '', 'pending', 'outcome_unknown'],
    ['answered the payment (no return URL): succeeded', 200, undefined, JSON.stringify({ payment_intent: { status: 'succeeded' } }), 'succeeded', undefined],
    ['answered the payment (no return URL): back to requires_payment_method', 200, undefined, JSON.stringify({ payment_intent: { status: 'requires_payment_method' } }), 'failed', 'authentication_failed'],
    ['refused: nothing to authenticate', 400, undefined, '{"error":{}}', 'failed', 'invalid_request'],
    ['a 5xx: the payment may or may not go ahead', 502, undefined, '', 'pending', 'provider_error'],
    ['no answer', 0, undefined, '', 'pending', 'outcome_unknown'],
  ] as const)('%s', (_name, status, location, body, outcome, errorCode) => {
    const c = classifyChallenge(status, location, body);
    expect([c.outcome, c.errorCode]).toEqual([outcome, errorCode]);
  });

  it('counts a 202 pending answer without a code (an authorisation held for capture) as outcome_unknown, not an unmapped code', () => {
    expect(classifyResponse(202, payment('pending'))).toMatchObject({ outcome: 'pending', errorCode: 'outcome_unknown' });
    expect(classifyResponse(202, payment('pending', { errorCode: 'authentication_required' }))).toMatchObject({ outcome: 'pending', errorCode: 'authentication_required' });
    expect(classifyResponse(200, payment('failed'))).toMatchObject({ outcome: 'failed', errorCode: 'unknown' });
  });

  it('reads the challenge page from a 202 payment answer', () => {
    expect(classifyResponse(202, payment('pending', { errorCode: 'outcome_unknown', nextAction: { type: 'redirect', url: 'http://127.0.0.1:1/__sim/3ds/pi_1' } })).nextActionUrl).toBe('http://127.0.0.1:1/__sim/3ds/pi_1');
    expect(classifyResponse(202, payment('pending')).nextActionUrl).toBeUndefined();
  });
});
