import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { buildGateway, type BuiltGateway, type GatewayOptions } from '../../../gateway/index.js';
import { startPaypalSim, startStripeSim, type StartedPaypalSim } from '../../../simulators/index.js';
import { recordingProxy, type SeenRequest } from '../../helpers/recording-proxy.js';
import { cancelRequest as cancel, captureRequest as capture, movedAt } from '../../helpers/lifecycle-requests.js';

/**
 * Issue #15, found under every-channel's faults: an authorise-only charge (capture `manual`) whose
 * answer was lost after the provider really authorised it — charged, then 5xx. The provider holds
 * the money; the gateway's row says pending, outcome unknown. Once the gateway learns of the hold
 * (a status query: the recovery loop's, or its own before a capture or a cancel) the payment must
 * be held exactly as the direct answer would have left it, and the shopper's capture or cancel
 * must act on it — not be refused NOT_HELD while the hold sits open at the provider.
 *
 * A recording forwarder stands between the gateway and the real simulator and drops the
 * authorisation's answer (the provider acts, the gateway reads a 502).
 */
let paypal: StartedPaypalSim;
let paypalCredentials: Record<string, unknown>;
let stripe: Awaited<ReturnType<typeof startStripeSim>>;
beforeAll(async () => {
  paypal = await startPaypalSim({ seed: 1515, autoApprove: true });
  const keys = (await (await fetch(`${paypal.url}/__sim/keys`)).json()) as { clientId: string; clientSecret: string };
  paypalCredentials = { clientId: keys.clientId, clientSecret: keys.clientSecret };
  stripe = await startStripeSim({ seed: 1516 });
});
afterAll(async () => {
  await paypal?.close();
  await stripe?.close();
});

/** The recovery loop far off (an hour): each test runs the query path it means to. */
function gateway(provider: 'paypal' | 'stripe', url: string, extra: Partial<GatewayOptions> = {}): BuiltGateway {
  const gw = buildGateway({ providers: { [provider]: provider === 'paypal' ? { url, credentials: paypalCredentials } : { url } }, recovery: { intervalMs: 3_600_000 }, ...extra });
  onTestFinished(() => gw.close());
  return gw;
}

/** Drops the answer of the first request `is` matches: the provider acted on it, the gateway never hears how. */
function dropFirst(is: (s: SeenRequest) => boolean): (s: SeenRequest) => boolean {
  let dropped = false;
  return (s) => {
    if (dropped || !is(s)) return false;
    dropped = true;
    return true;
  };
}
const paypalAuthorize = (s: SeenRequest): boolean => s.method === 'POST' && /^\/v2\/checkout\/orders\/[^/]+\/authorize$/.test(s.path);
const stripeCreate = (s: SeenRequest): boolean => s.method === 'POST' && s.path === '/v1/payment_intents';

let n = 0;
async function authorise(gw: BuiltGateway, provider: 'paypal' | 'stripe') {
  const orderId = `held_${provider}_${process.pid}_${++n}`;
  const paymentMethod = provider === 'paypal' ? 'pm_paypal' : 'pm_card_visa';
  const res = await gw.app.inject({ method: 'POST', url: '/payments', headers: { 'idempotency-key': `k-${orderId}` }, payload: { orderId, amount: 1500, currency: 'usd', paymentMethod, provider, capture: 'manual' } });
  return { code: res.statusCode, ...(res.json() as { paymentId: string; orderId: string; status: string; errorCode?: string }) };
}

/** What a held payment's row says, the fields a capture, a void and an answer depend on. */
const heldState = (gw: BuiltGateway, paymentId: string) => {
  const p = gw.store.payments.get(paymentId)!;
  return { status: p.status, errorCode: p.errorCode, providerCode: p.providerCode, httpStatus: p.httpStatus, hasProviderPaymentId: p.providerPaymentId !== undefined };
};

for (const provider of ['paypal', 'stripe'] as const) {
  const sim = () => (provider === 'paypal' ? paypal : stripe);
  const lose = provider === 'paypal' ? paypalAuthorize : stripeCreate;
  const heldCode = provider === 'paypal' ? 'AUTHORIZATION_CREATED' : 'requires_capture';

  describe(`${provider} authorise-only whose answer was lost after the provider authorised`, () => {
    it('a query by the recovery loop settles it to the held state a direct answer leaves: pending, 202, no error code, the provider id kept', async () => {
      const proxy = await recordingProxy(sim().url, dropFirst(lose));
      const gw = gateway(provider, proxy.url);
      const lost = await authorise(gw, provider);
      expect(lost.code).toBeGreaterThanOrEqual(500);
      expect(movedAt(sim(), lost.orderId, 'authorization')).toEqual([1500]);
      const settled = await gw.recovery.settle(gw.store.payments.get(lost.paymentId)!);
      expect(settled).toMatchObject({ status: 'pending', providerCode: heldCode });
      // The same payment answered directly, through the same gateway: the two rows must agree.
      const direct = await authorise(gw, provider);
      expect(direct.code).toBe(202);
      expect(heldState(gw, lost.paymentId)).toEqual(heldState(gw, direct.paymentId));
      expect(heldState(gw, lost.paymentId)).toEqual({ status: 'pending', errorCode: undefined, providerCode: heldCode, httpStatus: 202, hasProviderPaymentId: true });
      // GET shows a hold, not an unknown outcome.
      const read = (await gw.app.inject({ method: 'GET', url: `/payments/${lost.paymentId}` })).json() as Record<string, unknown>;
      expect(read).toMatchObject({ status: 'pending', providerCode: heldCode });
      expect(read.errorCode).toBeUndefined();
      const captured = await capture(gw, lost.paymentId, 'c1');
      expect(captured.statusCode, captured.body).toBe(201);
      expect(movedAt(sim(), lost.orderId, 'capture')).toEqual([1500]);
      expect(gw.store.ledger.captured(lost.paymentId)).toBe(1500);
    });

    it('a capture sent before any query asks the provider first, finds the hold and captures it once', async () => {
      const proxy = await recordingProxy(sim().url, dropFirst(lose));
      const gw = gateway(provider, proxy.url);
      const lost = await authorise(gw, provider);
      expect(lost.code).toBeGreaterThanOrEqual(500);
      expect(gw.store.payments.get(lost.paymentId)).toMatchObject({ status: 'pending', errorCode: expect.any(String) });
      const captured = await capture(gw, lost.paymentId, 'c1');
      expect(captured.statusCode, captured.body).toBe(201);
      expect(captured.json()).toMatchObject({ status: 'succeeded', paymentStatus: 'succeeded', captured: 1500 });
      expect(movedAt(sim(), lost.orderId, 'authorization')).toEqual([1500]);
      expect(movedAt(sim(), lost.orderId, 'capture')).toEqual([1500]);
      expect(gw.store.ledger.captured(lost.paymentId)).toBe(1500);
      expect(gw.store.ledger.unbalancedEntries()).toEqual([]);
    });

    it('a cancel sent before any query asks the provider first and voids the hold: nothing captured, the payment failed order_closed', async () => {
      const proxy = await recordingProxy(sim().url, dropFirst(lose));
      const gw = gateway(provider, proxy.url);
      const lost = await authorise(gw, provider);
      expect(lost.code).toBeGreaterThanOrEqual(500);
      const voided = await cancel(gw, lost.paymentId, 'x1');
      expect(voided.statusCode, voided.body).toBe(201);
      expect(voided.json()).toMatchObject({ status: 'succeeded', paymentStatus: 'failed' });
      expect(movedAt(sim(), lost.orderId, 'void')).toEqual([1500]);
      expect(movedAt(sim(), lost.orderId, 'capture')).toEqual([]);
      expect(gw.store.payments.get(lost.paymentId)).toMatchObject({ status: 'failed', errorCode: 'order_closed' });
    });

    it('with regression noRecovery (no query anywhere) the same capture is refused NOT_HELD and the hold stays open at the provider: the negative control', async () => {
      const proxy = await recordingProxy(sim().url, dropFirst(lose));
      const gw = gateway(provider, proxy.url, { regression: { noRecovery: true } });
      const lost = await authorise(gw, provider);
      const refused = await capture(gw, lost.paymentId, 'c1');
      expect(refused.statusCode).toBe(409);
      expect(refused.json().error.code).toBe('PAYCHAOS_ERR_GATEWAY_NOT_HELD');
      expect(movedAt(sim(), lost.orderId, 'authorization')).toEqual([1500]);
      expect(movedAt(sim(), lost.orderId, 'capture')).toEqual([]);
      expect(movedAt(sim(), lost.orderId, 'void')).toEqual([]);
    });
  });
}

describe('a capture of a payment whose outcome the provider cannot tell yet', () => {
  it('is answered 504 outcome_unknown, not refused NOT_HELD, with its key unlocked: the retry asks again, finds the hold and captures it once', async () => {
    let blind = false;
    const lost = dropFirst(paypalAuthorize);
    // While `blind`, every read of the order loses its answer too: the gateway's query learns nothing.
    const proxy = await recordingProxy(paypal.url, (s) => lost(s) || (blind && s.method === 'GET' && s.path.startsWith('/v2/checkout/orders/')));
    const gw = gateway('paypal', proxy.url);
    const p = await authorise(gw, 'paypal');
    expect(p.code).toBeGreaterThanOrEqual(500);
    blind = true;
    const unknown = await capture(gw, p.paymentId, 'c1');
    expect(unknown.statusCode, unknown.body).toBe(504);
    expect(unknown.json()).toMatchObject({ status: 'pending', errorCode: 'outcome_unknown', captured: 0 });
    expect(movedAt(paypal, p.orderId, 'capture')).toEqual([]);
    blind = false;
    const retried = await capture(gw, p.paymentId, 'c1');
    expect(retried.statusCode, retried.body).toBe(201);
    expect(movedAt(paypal, p.orderId, 'capture')).toEqual([1500]);
    expect(gw.store.ledger.captured(p.paymentId)).toBe(1500);
  });

  it('a Stripe cancel whose query learns nothing (no PaymentIntent id to void by) is answered 504 outcome_unknown, not failed; its retry voids the hold', async () => {
    let blind = false;
    const lost = dropFirst(stripeCreate);
    const proxy = await recordingProxy(stripe.url, (s) => lost(s) || (blind && s.method === 'GET'));
    const gw = gateway('stripe', proxy.url);
    const p = await authorise(gw, 'stripe');
    expect(p.code).toBeGreaterThanOrEqual(500);
    blind = true;
    const unknown = await cancel(gw, p.paymentId, 'x1');
    expect(unknown.statusCode, unknown.body).toBe(504);
    expect(unknown.json()).toMatchObject({ status: 'pending', errorCode: 'outcome_unknown' });
    blind = false;
    const retried = await cancel(gw, p.paymentId, 'x1');
    expect(retried.statusCode, retried.body).toBe(201);
    expect(movedAt(stripe, p.orderId, 'void')).toEqual([1500]);
  });
});
