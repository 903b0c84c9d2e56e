import { describe, expect, it } from 'vitest';
import { checkJourneysEndState, type JourneyOrder, type LedgerRow, type LifecycleAnswer } from '../../../src/analysis/index.js';

const order = (orderId: string, journey: string, refunds: number[] = [], cancel = false): JourneyOrder => ({ orderId, provider: 'stripe', currency: 'eur', journey, expect: { refunds, cancel } });
const row = (orderId: string, kind: LedgerRow['kind'], amount: number, currency = 'eur', paymentId = `pi_${orderId}`): LedgerRow => ({ provider: 'stripe', kind, paymentId, orderId, amount, currency });
const told = (orderId: string, kind: 'refund' | 'cancel', key: string, outcome: LifecycleAnswer['outcome'], amount?: number): LifecycleAnswer => ({ orderId, kind, key, outcome, ...(amount !== undefined ? { amount } : {}) });

/** "refund 30 of 100", captured 100 at Stripe, the refund answered as given, the ledger's refunds as given. */
function refund30(answers: LifecycleAnswer[], refundRows: number[]) {
  return checkJourneysEndState([order('o1', 'refund_partial', [30])], answers, [row('o1', 'capture', 100), ...refundRows.map((a) => row('o1', 'refund', a))]);
}

describe('journeys-end-state', () => {
  it.each([
    ['a partial refund answered succeeded and applied once', [told('o1', 'refund', 'o1-r1', 'succeeded', 30)], [30], true],
    ['the same refund applied twice (60 still within the capture of 100)', [told('o1', 'refund', 'o1-r1', 'succeeded', 30)], [30, 30], false],
    ['a refund answered succeeded but missing at the provider', [told('o1', 'refund', 'o1-r1', 'succeeded', 30)], [], false],
    ['an unknown refund, then its retry under the same key succeeded, applied once', [told('o1', 'refund', 'o1-r1', 'pending', 30), told('o1', 'refund', 'o1-r1', 'succeeded', 30)], [30], true],
    ['an unknown refund never retried, applied once', [told('o1', 'refund', 'o1-r1', 'pending', 30)], [30], true],
    ['an unknown refund never retried, not applied', [told('o1', 'refund', 'o1-r1', 'pending', 30)], [], true],
    ['an unknown refund applied twice', [told('o1', 'refund', 'o1-r1', 'pending', 30), told('o1', 'refund', 'o1-r1', 'pending', 30)], [30, 30], false],
    ['a refund answered failed, yet applied', [told('o1', 'refund', 'o1-r1', 'failed', 30)], [30], false],
  ] as const)('%s → passed %s', (_name, answers, refunds, passed) => {
    const result = refund30([...answers], [...refunds]);
    expect(result.passed).toBe(passed);
    expect(result.checked).toBe(1);
    if (!passed) expect(result.violations[0]).toMatchObject({ orderId: 'o1', provider: 'stripe', paymentIds: ['pi_o1'] });
  });

  it('holds several partial refunds to their sum, each under its own key', () => {
    const answers = [told('o2', 'refund', 'o2-r1', 'succeeded', 20), told('o2', 'refund', 'o2-r2', 'succeeded', 25), told('o2', 'refund', 'o2-r3', 'failed', 10)];
    const o = [order('o2', 'refund_partials', [20, 25, 10])];
    expect(checkJourneysEndState(o, answers, [row('o2', 'capture', 100), row('o2', 'refund', 20), row('o2', 'refund', 25)]).passed).toBe(true);
    // The failed third applied after all: red.
    expect(checkJourneysEndState(o, answers, [row('o2', 'capture', 100), row('o2', 'refund', 20), row('o2', 'refund', 25), row('o2', 'refund', 10)]).passed).toBe(false);
  });

  it('never lets an order whose journey asks no refund be refunded', () => {
    const result = checkJourneysEndState([order('o3', 'pay')], [], [row('o3', 'capture', 100), row('o3', 'refund', 100)]);
    expect(result.passed).toBe(false);
    expect(result.violations[0]!.message).toMatch(/^pay: refunded 100 at stripe, but its journey asks for no refund/);
    expect(checkJourneysEndState([order('o3', 'pay')], [], [row('o3', 'capture', 100)]).passed).toBe(true);
  });

  it('holds a cancel answered succeeded to no capture; a cancel refused leaves the capture standing', () => {
    const o = [order('o4', 'pay_cancel', [], true)];
    expect(checkJourneysEndState(o, [told('o4', 'cancel', 'o4-c1', 'succeeded')], [row('o4', 'authorization', 100), row('o4', 'void', 100)]).passed).toBe(true);
    const captured = checkJourneysEndState(o, [told('o4', 'cancel', 'o4-c1', 'succeeded')], [row('o4', 'capture', 100)]);
    expect(captured.passed).toBe(false);
    expect(captured.violations[0]!.message).toMatch(/captured 100 at stripe after its cancel was answered succeeded/);
    // The shopper paid first (the race a cancel can lose): refused, and the order stays captured, unrefunded.
    expect(checkJourneysEndState(o, [told('o4', 'cancel', 'o4-c1', 'failed')], [row('o4', 'capture', 100)]).passed).toBe(true);
  });

  it('holds every capture to the order\'s currency', () => {
    const result = checkJourneysEndState([order('o5', 'pay')], [], [row('o5', 'capture', 100, 'usd')]);
    expect(result.passed).toBe(false);
    expect(result.violations[0]!.message).toMatch(/captured in usd at stripe, but the order is in eur/);
  });

  it('judges an order that never reached a provider as ending with nothing, and counts every order placed', () => {
    const result = checkJourneysEndState([order('o6', 'refund_full', [100]), order('o7', 'pay')], [told('o6', 'refund', 'o6-r1', 'failed', 100)], []);
    expect(result).toMatchObject({ name: 'journeys-end-state', unit: 'orders', passed: true, checked: 2 });
  });

  describe('3-D Secure journeys', () => {
    const tds = (orderId: string, challenge: 'pass' | 'fail' | 'abandon'): JourneyOrder => ({ orderId, provider: 'stripe', currency: 'eur', journey: `three_ds_${challenge === 'pass' ? 'passed' : challenge === 'fail' ? 'failed' : 'abandoned'}`, expect: { refunds: [], cancel: false, challenge } });
    const page = (orderId: string, outcome: LifecycleAnswer['outcome']): LifecycleAnswer => ({ orderId, kind: 'challenge', key: '', outcome });
    const captured = (orderId: string, n: number) => Array.from({ length: n }, () => row(orderId, 'capture', 100));

    it.each([
      ['passed, page said paid, captured once', 'pass', ['succeeded'], 1, true],
      ['passed, page said paid, nothing captured (a lost webhook or a gateway that never settles)', 'pass', ['succeeded'], 0, false],
      ['passed, page said paid, captured twice', 'pass', ['succeeded'], 2, false],
      ['passed, the visit unanswered, captured once', 'pass', ['pending'], 1, true],
      ['passed, the visit unanswered, nothing captured', 'pass', ['pending'], 0, true],
      ['passed, but the page answered failed (the issuer declined after authentication), captured', 'pass', ['failed'], 1, false],
      ['passed, never challenged (the payment was not answered 202), captured', 'pass', [], 1, false],
      ['failed the challenge, nothing captured', 'fail', ['failed'], 0, true],
      ['failed the challenge, captured anyway', 'fail', ['failed'], 1, false],
      ['abandoned, nothing captured', 'abandon', [], 0, true],
      ['abandoned, captured (a gateway or provider that treats requires_action as paid)', 'abandon', [], 1, false],
    ] as const)('%s → passed %s', (_name, challenge, visits, captures, passed) => {
      const result = checkJourneysEndState([tds('t1', challenge)], visits.map((o) => page('t1', o)), captured('t1', captures));
      expect(result.passed).toBe(passed);
      if (!passed) expect(result.violations[0]).toMatchObject({ orderId: 't1', provider: 'stripe', message: expect.stringMatching(/^three_ds_/) });
    });

    it('names the one order whose failed challenge was captured all the same (the threeDSecureFallbackCard regression: the intent confirmed again with another card), among orders that ended where they should', () => {
      const orders = [tds('failed-fallback', 'fail'), tds('failed-clean', 'fail'), tds('passed', 'pass'), tds('abandoned', 'abandon'), order('paid', 'pay')];
      const answers: LifecycleAnswer[] = [
        { ...page('failed-fallback', 'failed'), traceId: 'trace-fallback' },
        page('failed-clean', 'failed'),
        page('passed', 'succeeded'),
      ];
      // What Stripe's ledger holds after the fallback: the same PaymentIntent authorised and captured, after its declined challenge.
      const rows = [
        row('failed-fallback', 'authorization', 100, 'eur', 'pi_fallback'),
        row('failed-fallback', 'capture', 100, 'eur', 'pi_fallback'),
        row('passed', 'authorization', 100),
        row('passed', 'capture', 100),
        row('paid', 'capture', 100),
      ];
      const result = checkJourneysEndState(orders, answers, rows);
      expect(result).toMatchObject({ passed: false, checked: 5 });
      expect(result.violations).toEqual([
        { orderId: 'failed-fallback', provider: 'stripe', paymentIds: ['pi_fallback'], traceId: 'trace-fallback', message: 'three_ds_failed: captured 100 at stripe, but its shopper failed the 3-D Secure challenge' },
      ]);
      // Without the fallback's capture, the same orders hold.
      expect(checkJourneysEndState(orders, answers, rows.filter((r) => r.orderId !== 'failed-fallback')).passed).toBe(true);
    });

    it('judges nothing about the page for a journey without 3-D Secure', () => {
      expect(checkJourneysEndState([order('t2', 'pay')], [], captured('t2', 1)).passed).toBe(true);
    });
  });

  describe('captures of a hold, and a capture racing a cancel', () => {
    const capOrder = (orderId: string, capture?: number, race = false): JourneyOrder => ({ orderId, provider: 'stripe', currency: 'eur', journey: race ? 'void_race_capture' : 'pay_capture', expect: { refunds: [], cancel: false, ...(capture !== undefined ? { capture } : {}), ...(race ? { race: true } : {}) } });
    const ans = (orderId: string, kind: 'capture' | 'cancel', outcome: LifecycleAnswer['outcome']): LifecycleAnswer => ({ orderId, kind, key: `${orderId}-${kind}`, outcome });

    it.each([
      ['a capture answered succeeded, captured once for the amount', [ans('p1', 'capture', 'succeeded')], [row('p1', 'capture', 100)], true],
      ['a capture answered succeeded, nothing captured', [ans('p1', 'capture', 'succeeded')], [], false],
      ['a capture answered succeeded, captured for another amount', [ans('p1', 'capture', 'succeeded')], [row('p1', 'capture', 60)], false],
      ['a capture retried after an unknown answer, captured twice', [ans('p1', 'capture', 'pending'), ans('p1', 'capture', 'succeeded')], [row('p1', 'capture', 100), row('p1', 'capture', 100)], false],
      ['a capture of unknown outcome, captured once', [ans('p1', 'capture', 'pending')], [row('p1', 'capture', 100)], true],
      ['a capture received (Adyen 202), not yet captured', [ans('p1', 'capture', 'pending')], [], true],
    ] as const)('pay_capture: %s → passed %s', (_name, answers, rows, passed) => {
      expect(checkJourneysEndState([capOrder('p1', 100)], [...answers], [...rows]).passed).toBe(passed);
    });

    it.each([
      ['the capture won: captured once, the cancel refused', [ans('r1', 'capture', 'succeeded'), ans('r1', 'cancel', 'failed')], [row('r1', 'capture', 100)], true],
      ['the cancel won: voided, the capture refused', [ans('r1', 'capture', 'failed'), ans('r1', 'cancel', 'succeeded')], [row('r1', 'void', 100)], true],
      ['one of them told to wait (in flight), the other won', [ans('r1', 'capture', 'pending'), ans('r1', 'cancel', 'succeeded')], [row('r1', 'void', 100)], true],
      ['the cancel answered succeeded, yet captured (a gateway that did not wait for the capture)', [ans('r1', 'capture', 'succeeded'), ans('r1', 'cancel', 'succeeded')], [row('r1', 'capture', 100)], false],
      ['captured and voided both', [ans('r1', 'capture', 'pending'), ans('r1', 'cancel', 'pending')], [row('r1', 'capture', 100), row('r1', 'void', 100)], false],
      ['the capture answered succeeded, but voided and never captured', [ans('r1', 'capture', 'succeeded'), ans('r1', 'cancel', 'failed')], [row('r1', 'void', 100)], false],
    ] as const)('void_race_capture: %s → passed %s', (_name, answers, rows, passed) => {
      const result = checkJourneysEndState([capOrder('r1', undefined, true)], [...answers], [...rows]);
      expect(result.passed).toBe(passed);
      if (!passed) expect(result.violations[0]!.message).toMatch(/^void_race_capture: /);
    });

    it('judges nothing about captures or voids for a journey without either', () => {
      expect(checkJourneysEndState([order('n1', 'pay_cancel', [], true)], [told('n1', 'cancel', 'n1-c1', 'succeeded')], [row('n1', 'void', 100)]).passed).toBe(true);
    });
  });

  describe('a hold left open by a journey that captures or cancels it', () => {
    const journey = (orderId: string, kind: 'pay_capture' | 'void_race_capture' | 'pay_cancel' | 'pay'): JourneyOrder => ({
      orderId,
      provider: 'paypal',
      currency: 'usd',
      journey: kind,
      expect: { refunds: [], cancel: kind === 'pay_cancel', ...(kind === 'pay_capture' ? { capture: 100 } : {}), ...(kind === 'void_race_capture' ? { race: true } : {}) },
    });
    const at = (orderId: string, kind: LedgerRow['kind'], amount = 100): LedgerRow => ({ provider: 'paypal', kind, paymentId: `PP-${orderId}`, orderId, amount, currency: 'usd' });
    const ans = (orderId: string, kind: 'capture' | 'cancel', outcome: LifecycleAnswer['outcome']): LifecycleAnswer => ({ orderId, kind, key: `${orderId}-${kind}`, outcome });

    it.each([
      // Issue #15: the authorisation's answer lost, the gateway refuses the capture as not held while PayPal holds it.
      ['pay_capture: the capture refused (NOT_HELD) while the provider holds the authorisation', 'pay_capture', [ans('h1', 'capture', 'failed')], [at('h1', 'authorization')], false],
      ['pay_capture: the same capture refused, the hold captured after all (a retry took it)', 'pay_capture', [ans('h1', 'capture', 'failed')], [at('h1', 'authorization'), at('h1', 'capture')], true],
      ['pay_capture: the capture refused, and rightly — nothing was authorised', 'pay_capture', [ans('h1', 'capture', 'failed')], [], true],
      ['pay_capture: the capture unknown, and its retry unknown too: the shopper was told nothing', 'pay_capture', [ans('h1', 'capture', 'pending'), ans('h1', 'capture', 'pending')], [at('h1', 'authorization')], true],
      ['pay_capture: the shopper never captured (its pay answer was not a hold)', 'pay_capture', [], [at('h1', 'authorization')], true],
      ['pay_cancel: a cancel answered succeeded, but the void never reached the provider', 'pay_cancel', [ans('h1', 'cancel', 'succeeded')], [at('h1', 'authorization')], false],
      ['pay_cancel: a cancel answered failed while the provider holds the authorisation', 'pay_cancel', [ans('h1', 'cancel', 'failed')], [at('h1', 'authorization')], false],
      ['pay_cancel: a cancel answered succeeded, the hold voided', 'pay_cancel', [ans('h1', 'cancel', 'succeeded')], [at('h1', 'authorization'), at('h1', 'void')], true],
      ['pay_cancel: a wallet cancelled before its payer approved (no authorisation)', 'pay_cancel', [ans('h1', 'cancel', 'succeeded')], [], true],
      ['void_race_capture: both refused, the hold left open', 'void_race_capture', [ans('h1', 'capture', 'failed'), ans('h1', 'cancel', 'failed')], [at('h1', 'authorization')], false],
      ['void_race_capture: the cancel won and voided it, the capture refused', 'void_race_capture', [ans('h1', 'capture', 'failed'), ans('h1', 'cancel', 'succeeded')], [at('h1', 'authorization'), at('h1', 'void')], true],
      ['void_race_capture: the capture won, the cancel refused', 'void_race_capture', [ans('h1', 'capture', 'succeeded'), ans('h1', 'cancel', 'failed')], [at('h1', 'authorization'), at('h1', 'capture')], true],
      ['pay: a journey with no capture nor cancel may end held', 'pay', [], [at('h1', 'authorization')], true],
    ] as const)('%s → passed %s', (_name, kind, answers, rows, passed) => {
      const result = checkJourneysEndState([journey('h1', kind)], [...answers], [...rows]);
      expect(result.passed).toBe(passed);
      if (!passed) expect(result.violations).toHaveLength(1);
    });

    it('names the order, the provider, the amount held and what its shopper was told', () => {
      const result = checkJourneysEndState([journey('h2', 'pay_capture')], [{ ...ans('h2', 'capture', 'failed'), traceId: 'trace-h2' }], [at('h2', 'authorization', 2073)]);
      expect(result.violations).toEqual([
        { orderId: 'h2', provider: 'paypal', paymentIds: ['PP-h2'], traceId: 'trace-h2', message: "pay_capture: authorised 2073 at paypal and left held at the end of the run, never captured nor voided, though its shopper's capture answered failed" },
      ]);
    });

    it('does not name twice a capture answered succeeded that captured nothing', () => {
      const result = checkJourneysEndState([journey('h3', 'pay_capture')], [ans('h3', 'capture', 'succeeded')], [at('h3', 'authorization')]);
      expect(result.violations.map((v) => v.message)).toEqual(['pay_capture: its capture was answered succeeded, but nothing was captured']);
    });
  });
});
