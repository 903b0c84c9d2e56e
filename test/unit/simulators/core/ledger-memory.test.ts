import { describe, expect, it } from 'vitest';
import { Ledger } from '../../../../simulators/core/index.js';
import { usedAfterGc } from '../../../helpers/force-gc.js';

describe('Ledger memory', () => {
  // The target is 1M payments under 500 MB; a quarter of that, under a quarter of the budget,
  // proves the same per-payment cost in a few seconds.
  it('holds 250,000 payments (authorisation + capture each) in under 125 MB', () => {
    const used = usedAfterGc;
    const before = used();
    const ledger = new Ledger('stripe', () => new Date(0));
    for (let i = 0; i < 250_000; i++) {
      // Ids of realistic length: a PaymentIntent id, a UUID-ish key, a W3C trace id, a charge id.
      const entry = {
        paymentId: `pi_${i.toString(36).padStart(24, '0')}`,
        orderId: `order-${i}`,
        idempotencyKey: `6f1c2e2a-9b7d-4d1e-8a0b-${i.toString(16).padStart(12, '0')}`,
        amount: 1999,
        currency: 'usd',
        traceId: `4bf92f3577b34da6a3ce929d${i.toString(16).padStart(8, '0')}`,
        reference: `ch_${i.toString(36).padStart(24, '0')}`,
      };
      ledger.record({ kind: 'authorization', ...entry });
      ledger.record({ kind: 'capture', ...entry });
    }
    const mb = (used() - before) / 1e6;
    expect(ledger.size).toBe(500_000);
    expect(mb).toBeLessThan(125);
    expect(ledger.balanceOf(`pi_${(249_999).toString(36).padStart(24, '0')}`)).toEqual({ authorized: 1999, captured: 1999, refunded: 0, voided: 0 });
  }, 60_000);
});
