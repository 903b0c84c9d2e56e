import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { AWAIT_PAID_TRIES, planShopper, resolveTrafficConfig, type ShopperPlan, type TrafficConfig } from '../../../load/lib/index.js';

/**
 * load/shopper.js run against in-memory stand-ins for k6's modules: no k6 binary exists here, so
 * this checks the glue's own logic (which requests, with which tags and keys, what is recorded),
 * not k6. The stand-ins answer like the reference gateway would, from a script per test.
 */
interface Sent { method: string; url: string; body: string | null; tags: Record<string, string>; key: string | undefined; batch: boolean; metadata: Record<string, unknown>; redirects: number | undefined }
interface Sample { metric: string; value: number | boolean; tags: Record<string, string>; metadata: Record<string, unknown> }

const k6 = vi.hoisted(() => {
  const state = {
    sent: [] as Sent[],
    samples: [] as Sample[],
    slept: [] as number[],
    answer: (_req: { method: string; url: string; key: string | undefined }): { status: number; body: string; error_code?: number; headers?: Record<string, string> } => ({ status: 201, body: '' }),
    iteration: 0,
    metadata: {} as Record<string, unknown>,
  };
  const respond = (method: string, url: string, body: string | null, params: { headers: Record<string, string>; tags: Record<string, string>; redirects?: number }, batch: boolean) => {
    const key = params.headers['idempotency-key'];
    state.sent.push({ method, url, body, tags: params.tags, key, batch, metadata: { ...state.metadata }, redirects: params.redirects });
    const a = state.answer({ method, url, key });
    return { status: a.status, body: a.body, headers: a.headers ?? {}, error_code: a.error_code ?? 0, timings: { duration: 12 } };
  };
  class Metric {
    constructor(readonly name: string) {}
    add(value: number | boolean, tags: Record<string, string> = {}): void {
      state.samples.push({ metric: this.name, value, tags, metadata: { ...state.metadata } });
    }
  }
  return { state, respond, Metric };
});

vi.mock('k6/http', () => ({
  default: {
    expectedStatuses: (...codes: number[]) => ({ codes }),
    request: (m: string, u: string, b: string | null, p: never) => k6.respond(m, u, b, p, false),
    batch: (reqs: Array<[string, string, string | null, never]>) => reqs.map(([m, u, b, p]) => k6.respond(m, u, b, p, true)),
  },
}));
vi.mock('k6', () => ({
  sleep: (s: number) => void k6.state.slept.push(s),
  check: (value: unknown, sets: Record<string, (v: unknown) => boolean>, tags: Record<string, string>) =>
    Object.entries(sets).every(([name, fn]) => (k6.state.samples.push({ metric: 'checks', value: fn(value), tags: { check: name, ...tags }, metadata: {} }), fn(value))),
}));
vi.mock('k6/metrics', () => ({ Trend: k6.Metric, Rate: k6.Metric }));
vi.mock('k6/execution', () => ({
  default: {
    scenario: { get iterationInTest() { return k6.state.iteration; }, startTime: Date.now() },
    vu: { metrics: { metadata: k6.state.metadata } },
  },
}));

const { runShopper } = (await import(pathToFileURL(join(import.meta.dirname, '../../../load/shopper.js')).href)) as {
  runShopper: (traffic: Readonly<TrafficConfig>, targets: { baseline: string; canary: string }, timeout: string) => void;
};

const { playShopper } = await import('../../../src/load/play-shopper.js');

const targets = { baseline: 'http://baseline', canary: 'http://canary' };
const payment = (status: string, errorCode?: string): string => JSON.stringify({ paymentId: 'p', orderId: 'o', status, provider: 'stripe', variant: 'baseline', ...(errorCode ? { errorCode } : {}) });

/** Find an iteration index whose shopper has this behaviour, and run it. */
function runA(behaviour: ShopperPlan['behaviour'], config: Readonly<TrafficConfig> = resolveTrafficConfig({ runId: 'rt', seed: 4, variants: { baseline: 1, canary: 1 } })): ShopperPlan {
  let index = 0;
  while (planShopper({ index }, config).behaviour !== behaviour) index++;
  k6.state.iteration = index;
  runShopper(config, targets, '5s');
  return planShopper({ index }, config);
}

const submits = (): Sample[] => k6.state.samples.filter((s) => s.metric === 'paychaos_client_duration');
const success = (): Sample[] => k6.state.samples.filter((s) => s.metric === 'payment_success');

describe('load/shopper.js (the k6 glue) on stand-in k6 modules', () => {
  beforeEach(() => {
    k6.state.sent.length = 0;
    k6.state.samples.length = 0;
    k6.state.slept.length = 0;
    k6.state.answer = () => ({ status: 201, body: payment('succeeded') });
  });

  it('submits a plain shopper once to its variant, tagged, and records the classified outcome with order and key as metadata', () => {
    const plan = runA('pay');
    expect(k6.state.sent).toHaveLength(1);
    const [req] = k6.state.sent;
    expect(req!.url).toBe(`${plan.variant === 'canary' ? targets.canary : targets.baseline}/payments`);
    expect(req!.key).toBe(`${plan.orderId}-k1`);
    expect(req!.tags).toEqual({ name: 'POST /payments', payment_method: plan.method, variant: plan.variant, provider: plan.provider, behaviour: 'pay', step: 'first', endpoint: 'pay' });
    expect(submits()).toEqual([
      {
        metric: 'paychaos_client_duration',
        value: 12,
        tags: { variant: plan.variant, provider: 'stripe', method: plan.method, behaviour: 'pay', step: 'first', endpoint: 'pay', outcome: 'succeeded', error_code: '', status: '201' },
        metadata: { order_id: plan.orderId, idempotency_key: `${plan.orderId}-k1` },
      },
    ]);
    expect(success().map((s) => s.value)).toEqual([true]);
    expect(k6.state.metadata).toEqual({});
  });

  it('sends a double-click burst in one batch with the same key', () => {
    k6.state.answer = ({ key }) => (k6.state.sent.filter((s) => s.key === key).length === 1 ? { status: 201, body: payment('succeeded') } : { status: 409, body: '{"error":{"code":"PAYCHAOS_ERR_GATEWAY_IDEMPOTENCY_IN_FLIGHT"}}' });
    const plan = runA('double_click');
    expect(k6.state.sent.length).toBe(plan.steps.length);
    expect(k6.state.sent.every((s) => s.batch && s.key === `${plan.orderId}-k1`)).toBe(true);
    expect(submits().map((s) => [s.tags.step, s.tags.outcome, s.tags.error_code])).toEqual([
      ['first', 'succeeded', ''],
      ...plan.steps.slice(1).map(() => ['double_click', 'pending', 'duplicate_transaction']),
    ]);
    expect(success().map((s) => s.value)).toEqual([true]);
  });

  it('walks into the double-charge trap: the same order under a second key after a pause', () => {
    const plan = runA('new_key_retry');
    expect(k6.state.sent.map((s) => s.key)).toEqual([`${plan.orderId}-k1`, `${plan.orderId}-k2`]);
    expect(k6.state.sent[0]!.body).toBe(k6.state.sent[1]!.body);
    expect(k6.state.slept).toEqual([plan.steps[1]!.delayMs / 1000]);
  });

  it('abandons, comes back, queries the order and pays because the gateway knows no payment', () => {
    k6.state.answer = ({ method }) => (method === 'GET' ? { status: 404, body: '{"error":{"code":"PAYCHAOS_ERR_GATEWAY_BAD_REQUEST"}}' } : { status: 201, body: payment('succeeded') });
    const plan = runA('abandon_resume');
    expect(k6.state.sent.map((s) => [s.method, s.tags.name, s.tags.step])).toEqual([
      ['GET', 'GET /payments/{orderId}', 'query'],
      ['POST', 'POST /payments', 'resume'],
    ]);
    expect(k6.state.sent[0]!.url).toBe(`${plan.variant === 'canary' ? targets.canary : targets.baseline}/payments/${plan.orderId}`);
    expect(submits()).toHaveLength(1);
  });

  it('retries a timed-out submit with the same key after querying, and not when the query shows it paid', () => {
    let timedOut = false;
    k6.state.answer = ({ method }) => {
      if (method === 'GET') return { status: 404, body: '' };
      if (timedOut) return { status: 201, body: payment('succeeded') };
      timedOut = true;
      return { status: 0, body: '', error_code: 1050 };
    };
    const plan = runA('retry_on_timeout');
    expect(k6.state.sent.map((s) => [s.method, s.key])).toEqual([['POST', `${plan.orderId}-k1`], ['GET', undefined], ['POST', `${plan.orderId}-k1`]]);
    expect(submits().map((s) => [s.tags.step, s.tags.outcome, s.tags.error_code, s.tags.status])).toEqual([
      ['first', 'pending', 'outcome_unknown', '0'],
      ['retry', 'succeeded', '', '201'],
    ]);

    k6.state.sent.length = 0;
    k6.state.answer = ({ method }) => (method === 'GET' ? { status: 200, body: payment('succeeded') } : { status: 0, body: '', error_code: 1050 });
    runA('retry_on_timeout');
    expect(k6.state.sent.map((s) => s.method)).toEqual(['POST', 'GET']);
  });

  it('counts a declined shopper as not paid and records the reason', () => {
    k6.state.answer = () => ({ status: 402, body: payment('failed', 'card_declined') });
    runA('pay');
    expect(submits()[0]!.tags).toMatchObject({ outcome: 'failed', error_code: 'card_declined', status: '402' });
    expect(success().map((s) => s.value)).toEqual([false]);
  });

  it('calls a connection that never opened a network error, not an unknown outcome', () => {
    k6.state.answer = () => ({ status: 0, body: '', error_code: 1212 });
    runA('pay');
    expect(submits()[0]!.tags).toMatchObject({ outcome: 'failed', error_code: 'network_error', status: '0' });
  });

  describe('the money-lifecycle journeys', () => {
    const lifecycle = resolveTrafficConfig({
      runId: 'lc',
      seed: 6,
      behaviours: { pay: 0, duplicate_submit: 0, new_key_retry: 0, double_click: 0, abandon_resume: 0, retry_on_timeout: 0, refund_full: 1, refund_partial: 1, refund_partials: 1, pay_cancel: 1 },
      lifecycleAfter: { minMs: 0, maxMs: 0 },
      retry: { backoffMs: 0 },
    });
    /** Paid at once (201), a held cancel (202), and the first refund of an order times out (504) once. */
    const script = (seen: Array<{ method: string; url: string; key: string | undefined }>) => (req: { method: string; url: string; key: string | undefined }): { status: number; body: string } => {
      seen.push(req);
      if (req.url.endsWith('/refunds')) {
        const first = req.key?.endsWith('-r1') && seen.filter((s) => s.key === req.key).length === 1;
        return first ? { status: 504, body: JSON.stringify({ status: 'pending', errorCode: 'outcome_unknown', provider: 'stripe' }) } : { status: 201, body: JSON.stringify({ status: 'succeeded', provider: 'stripe' }) };
      }
      if (req.url.endsWith('/cancel')) return { status: 201, body: JSON.stringify({ status: 'succeeded', provider: 'alipay' }) };
      return { status: 201, body: payment('succeeded') };
    };

    it('sends each refund with its amount once paid, retries the timed-out one under the same key, and records them as refund steps', () => {
      const seen: Array<{ method: string; url: string; key: string | undefined }> = [];
      k6.state.answer = script(seen);
      const plan = runA('refund_partials', lifecycle);
      const refunds = plan.expect.refunds;
      expect(k6.state.sent.map((s) => [s.tags.step, s.key, s.body])).toEqual([
        ['first', `${plan.orderId}-k1`, expect.any(String)],
        ['refund', `${plan.orderId}-r1`, JSON.stringify({ amount: refunds[0] })],
        ['refund_retry', `${plan.orderId}-r1`, JSON.stringify({ amount: refunds[0] })],
        ...refunds.slice(1).map((amount, i) => ['refund', `${plan.orderId}-r${i + 2}`, JSON.stringify({ amount })]),
      ]);
      expect(submits().map((s) => [s.tags.step, s.tags.outcome, s.metadata.refund_amount])).toEqual([
        ['first', 'succeeded', undefined],
        ['refund', 'pending', String(refunds[0])],
        ['refund_retry', 'succeeded', String(refunds[0])],
        ...refunds.slice(1).map((amount) => ['refund', 'succeeded', String(amount)]),
      ]);
      expect(k6.state.metadata).toEqual({});
    });

    it('sends no refund for a declined order and no cancel for a captured one', () => {
      k6.state.answer = () => ({ status: 402, body: payment('failed', 'card_declined') });
      runA('refund_full', lifecycle);
      expect(k6.state.sent.map((s) => s.tags.step)).toEqual(['first']);
      k6.state.sent.length = 0;
      k6.state.answer = () => ({ status: 201, body: payment('succeeded') });
      runA('pay_cancel', lifecycle);
      expect(k6.state.sent.map((s) => s.tags.step)).toEqual(['first']);
    });

    it('plays every journey identically on both engines: the built-in driver sends the very requests the k6 glue sends, from the same seed and the same answers', async () => {
      for (const behaviour of ['refund_full', 'refund_partial', 'refund_partials', 'pay_cancel'] as const) {
        // paid at once (201); held (202), then a query finds it paid (a redirect's webhook came); held and never paid in time.
        for (const mode of ['paid', 'held', 'never_paid'] as const) {
          const held = mode !== 'paid';
          const answers = (seen: Array<{ method: string; url: string; key: string | undefined }>) => {
            const base = script(seen);
            return (req: { method: string; url: string; key: string | undefined }) =>
              held && req.url.endsWith('/payments') ? (seen.push(req), { status: 202, body: payment('pending') }) : mode === 'never_paid' && req.method === 'GET' ? (seen.push(req), { status: 200, body: payment('pending') }) : base(req);
          };
          k6.state.sent.length = 0;
          k6.state.answer = answers([]);
          const plan = runA(behaviour, lifecycle);
          const viaK6 = k6.state.sent.map((s) => [s.method, s.url.replace(/^http:\/\/(baseline|canary)/, ''), s.key ?? '', s.body ?? '']);

          const seen: Array<{ method: string; url: string; key: string | undefined }> = [];
          const answer = answers(seen);
          const viaBuiltin: string[][] = [];
          const events: Array<{ behaviour?: string; refundAmount?: number }> = [];
          const target = {
            send: async (r: { method: string; path: string; headers: Record<string, string>; body: string | null }) => {
              viaBuiltin.push([r.method, r.path, r.headers['idempotency-key'] ?? '', r.body ?? '']);
              const a = answer({ method: r.method, url: r.path, key: r.headers['idempotency-key'] });
              return { kind: 'answer' as const, status: a.status, text: a.body };
            },
            close: async () => {},
          };
          await playShopper(plan, performance.now(), { targets: { baseline: target as never, canary: target as never }, t0: performance.now(), cut: new AbortController().signal, record: (e) => void events.push(e), aborted: () => {} });
          expect(viaBuiltin, `${behaviour} (${mode})`).toEqual(viaK6);
          // A refund follows a paid answer — at once, or once a query shows the waiting payment
          // paid; a cancel a held one. A payment never paid in time is asked after a few times, never refunded.
          const refunds = viaBuiltin.filter((r) => r[1]!.endsWith('/refunds'));
          const queries = viaBuiltin.filter((r) => r[0] === 'GET');
          if (behaviour === 'pay_cancel') expect(viaBuiltin.length > 1, `${behaviour} (${mode})`).toBe(held);
          else {
            expect(refunds.length > 0, `${behaviour} (${mode})`).toBe(mode !== 'never_paid');
            expect(queries.length, `${behaviour} (${mode})`).toBe(mode === 'paid' ? 0 : mode === 'held' ? 1 : AWAIT_PAID_TRIES);
          }
          expect(events.filter((e) => e.behaviour === 'refund').map((e) => e.refundAmount)).toEqual(plan.expect.refunds.slice(0, events.filter((e) => e.behaviour === 'refund').length));
        }
      }
    });
  });

  describe('the 3-D Secure journeys', () => {
    const threeDs = resolveTrafficConfig({
      runId: 'tds',
      seed: 8,
      behaviours: { pay: 0, duplicate_submit: 0, new_key_retry: 0, double_click: 0, abandon_resume: 0, retry_on_timeout: 0, three_ds_passed: 1, three_ds_failed: 1, three_ds_abandoned: 1 },
      lifecycleAfter: { minMs: 0, maxMs: 0 },
    });
    const PAGE = 'http://127.0.0.1:9/__sim/3ds/pi_tds';
    /** The gateway answers 202 with the page (or 201 when `challenged` is false); the page sends the shopper back with how it went. */
    const script = (challenged: boolean) => (req: { method: string; url: string }): { status: number; body: string; headers?: Record<string, string> } => {
      if (req.url.startsWith(PAGE)) {
        const passed = req.url.endsWith('outcome=succeed');
        return { status: 302, body: '', headers: { Location: `https://paychaos.invalid/stripe/return?payment_intent=pi_tds&redirect_status=${passed ? 'succeeded' : 'failed'}` } };
      }
      if (!challenged) return { status: 201, body: payment('succeeded') };
      return { status: 202, body: JSON.stringify({ paymentId: 'p', orderId: 'o', status: 'pending', errorCode: 'outcome_unknown', provider: 'stripe', variant: 'baseline', nextAction: { type: 'redirect', url: PAGE } }) };
    };

    it('pays with the challenge card asking for a challenge, visits the 202\'s page (passing or failing, redirect not followed), or never visits when abandoning', () => {
      for (const [behaviour, outcome] of [['three_ds_passed', 'succeed'], ['three_ds_failed', 'fail'], ['three_ds_abandoned', undefined]] as const) {
        k6.state.sent.length = 0;
        k6.state.samples.length = 0;
        k6.state.answer = script(true);
        const plan = runA(behaviour, threeDs);
        const body = JSON.parse(k6.state.sent[0]!.body!) as Record<string, unknown>;
        expect(body).toMatchObject({ paymentMethod: 'pm_card_threeDSecure2Required', provider: 'stripe', threeDSecure: 'challenge' });
        expect(plan.expect.challenge).toBe(behaviour === 'three_ds_passed' ? 'pass' : behaviour === 'three_ds_failed' ? 'fail' : 'abandon');
        if (outcome === undefined) {
          expect(k6.state.sent).toHaveLength(1);
          expect(success().map((s) => s.value)).toEqual([false]);
          continue;
        }
        expect(k6.state.sent.slice(1).map((s) => [s.method, s.url, s.redirects, s.tags.step, s.tags.name])).toEqual([['GET', `${PAGE}?outcome=${outcome}`, 0, 'challenge', 'GET {3-D Secure page}']]);
        expect(submits().map((s) => [s.tags.step, s.tags.outcome, s.tags.error_code])).toEqual([
          ['first', 'pending', 'outcome_unknown'],
          ['challenge', outcome === 'succeed' ? 'succeeded' : 'failed', outcome === 'succeed' ? '' : 'authentication_failed'],
        ]);
        expect(success().map((s) => s.value)).toEqual([outcome === 'succeed']);
      }
    });

    it('visits no page when the payment was not answered with a challenge', () => {
      k6.state.answer = script(false);
      runA('three_ds_passed', threeDs);
      expect(k6.state.sent.map((s) => s.tags.step)).toEqual(['first']);
    });

    it('plays the 3-D Secure journeys identically on both engines: the same submits, the same page visits', async () => {
      for (const behaviour of ['three_ds_passed', 'three_ds_failed', 'three_ds_abandoned'] as const) {
        for (const challenged of [true, false]) {
          k6.state.sent.length = 0;
          k6.state.answer = script(challenged);
          const plan = runA(behaviour, threeDs);
          const viaK6 = k6.state.sent.map((s) => [s.method, s.url.replace(/^http:\/\/(baseline|canary)/, ''), s.key ?? '', s.body ?? '']);

          const answer = script(challenged);
          const viaBuiltin: string[][] = [];
          const events: Array<{ behaviour?: string; outcome: string }> = [];
          const target = {
            send: async (r: { method: string; path: string; headers: Record<string, string>; body: string | null }) => {
              viaBuiltin.push([r.method, r.path, r.headers['idempotency-key'] ?? '', r.body ?? '']);
              const a = answer({ method: r.method, url: r.path });
              return { kind: 'answer' as const, status: a.status, text: a.body };
            },
            close: async () => {},
          };
          const visit = async (url: string) => {
            viaBuiltin.push(['GET', url, '', '']);
            const a = answer({ method: 'GET', url });
            return { kind: 'answer' as const, status: a.status, location: a.headers?.Location, text: a.body };
          };
          await playShopper(plan, performance.now(), { targets: { baseline: target as never, canary: target as never }, t0: performance.now(), cut: new AbortController().signal, record: (e) => void events.push(e), aborted: () => {}, visit });
          expect(viaBuiltin, `${behaviour}${challenged ? '' : ' (no challenge)'}`).toEqual(viaK6);
          expect(viaBuiltin.length > 1).toBe(challenged && behaviour !== 'three_ds_abandoned');
          const page = events.find((e) => e.behaviour === 'challenge');
          if (challenged && behaviour !== 'three_ds_abandoned') expect(page?.outcome).toBe(behaviour === 'three_ds_passed' ? 'succeeded' : 'failed');
        }
      }
    });
  });
});
