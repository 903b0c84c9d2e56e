import { afterEach, describe, expect, it } from 'vitest';
import { startAdyenSim } from '../../../simulators/adyen/index.js';
import { encodeForm } from '../../../simulators/core/index.js';
import { startStripeSim } from '../../../simulators/stripe/index.js';

/**
 * The money invariant under a double-click storm: N concurrent requests over real sockets with
 * one idempotency key make exactly one charge; every other request is told "in progress" or
 * gets the first one's result.
 */
const N = 25;
let close: (() => Promise<void>) | undefined;
afterEach(async () => close?.());

describe('one idempotency key, many concurrent requests', () => {
  it('Stripe: exactly one capture in the ledger; the rest are 409s or replays', async () => {
    // 250 ms of processing keeps the first request in flight while the others connect, even on a busy machine.
    const sim = await startStripeSim({ seed: 71, profile: { latency: { kind: 'fixed', value: '250ms' } } });
    close = sim.close;
    const body = encodeForm({ amount: 1500, currency: 'usd', payment_method: 'pm_card_visa', confirm: true, metadata: { order_id: 'race-1' } });
    const responses = await Promise.all(
      Array.from({ length: N }, () =>
        fetch(`${sim.url}/v1/payment_intents`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', 'idempotency-key': 'storm' }, body }).then(async (r) => ({ status: r.status, replayed: r.headers.get('idempotent-replayed'), body: (await r.json()) as { id?: string } })),
      ),
    );
    expect(sim.ledger.byOrder('race-1').filter((e) => e.kind === 'capture')).toHaveLength(1);
    const ok = responses.filter((r) => r.status === 200);
    expect(responses.every((r) => r.status === 200 || r.status === 409)).toBe(true);
    expect(ok.filter((r) => r.replayed !== 'true')).toHaveLength(1);
    expect(new Set(ok.map((r) => r.body.id)).size).toBe(1);
    expect(responses.filter((r) => r.status === 409).length).toBeGreaterThan(0);
  });

  it('Adyen: exactly one capture in the ledger; the rest are 704s or replays', async () => {
    const sim = await startAdyenSim({ seed: 72, profile: { latency: { kind: 'fixed', value: '250ms' } } });
    close = sim.close;
    const body = JSON.stringify({ merchantAccount: 'M', amount: { value: 1500, currency: 'EUR' }, reference: 'race-2', paymentMethod: { type: 'scheme', number: '4111111111111111', expiryMonth: '03', expiryYear: '2030' } });
    const responses = await Promise.all(
      Array.from({ length: N }, () =>
        fetch(`${sim.url}/v71/payments`, { method: 'POST', headers: { 'content-type': 'application/json', 'idempotency-key': 'storm' }, body }).then(async (r) => ({ status: r.status, transient: r.headers.get('transient-error'), body: (await r.json()) as { errorCode?: string; pspReference?: string } })),
      ),
    );
    expect(sim.ledger.byOrder('race-2').filter((e) => e.kind === 'capture')).toHaveLength(1);
    const conflicts = responses.filter((r) => r.status === 422);
    expect(conflicts.every((r) => r.body.errorCode === '704' && r.transient === 'true')).toBe(true);
    expect(conflicts.length + responses.filter((r) => r.status === 200).length).toBe(N);
    expect(new Set(responses.filter((r) => r.status === 200).map((r) => r.body.pspReference)).size).toBe(1);
  });
});
