import { describe, expect, it } from 'vitest';
import { K6EventMapper, classifyResponse } from '../../../src/load/index.js';

/**
 * The provider ids in a gateway's answer travel with each payment event, whichever engine saw
 * it: they are what ground truth joins the providers' ledgers on (src/run/orders-placed.ts).
 */
describe('the provider ids a gateway answer names', () => {
  it('are read from a payment body', () => {
    const body = JSON.stringify({ status: 'succeeded', provider: 'alipay', orderId: 'o-1', providerPaymentId: '2026112222001', providerReference: 'o_1' });
    expect(classifyResponse(201, body)).toEqual({ outcome: 'succeeded', status: 201, provider: 'alipay', providerPaymentId: '2026112222001', providerReference: 'o_1' });
  });

  it('are absent when the answer has none, or not as strings', () => {
    expect(classifyResponse(201, JSON.stringify({ status: 'succeeded', provider: 'stripe' }))).toEqual({ outcome: 'succeeded', status: 201, provider: 'stripe' });
    expect(classifyResponse(201, JSON.stringify({ status: 'succeeded', providerPaymentId: 42, providerReference: null }))).toEqual({ outcome: 'succeeded', status: 201 });
  });

  it('come through k6 output as sample metadata (load/shopper.js records them)', () => {
    const event = new K6EventMapper().accept({
      type: 'Point',
      metric: 'paychaos_client_duration',
      timeMs: 1_000,
      value: 10,
      tags: { scenario: 'payments', variant: 'baseline', provider: 'wechatpay', method: 'wallet', step: 'first', outcome: 'succeeded', status: '201' },
      metadata: { order_id: 'o-2', idempotency_key: 'k', provider_payment_id: '4200001', provider_reference: 'o-2' },
    });
    expect(event).toMatchObject({ orderId: 'o-2', providerPaymentId: '4200001', providerReference: 'o-2' });
  });
});
