import type { PaymentOutcome } from '../../conventions/index.js';
import type { InvariantResult, InvariantViolation, LedgerRow } from './no-double-charge.js';

/**
 * `journeys-end-state`: every order ends, at its provider, where its shopper's journey said it
 * would (load/lib/traffic.js `ExpectedEnd`), given what each of the shopper's refunds and cancels
 * was answered:
 *
 *   refund answered succeeded        applied exactly once        (a lost refund is red)
 *   refund answered failed           never applied               (nothing was sent)
 *   refund outcome unknown           applied at most once        (a retry under its key must not add one)
 *   no refund in the journey         the order is never refunded
 *   cancel answered succeeded        the order is never captured
 *   capture (expect.capture):
 *     answered succeeded             captured exactly once, for the amount asked
 *     otherwise                      captured at most once
 *   a capture racing a cancel (expect.race):
 *                                    one state: captured at most once, and never both captured
 *                                    and voided; a capture answered succeeded was captured (and a
 *                                    cancel answered succeeded captured nothing, as above)
 *   every capture                    in the order's currency
 *   a hold left open (a capture, pay_capture / void_race_capture, or a cancel in the journey):
 *     a capture or cancel answered   the provider's authorisation ends captured or voided — not
 *       succeeded or failed          held at the end of the run, which is money the shopper
 *                                    authorised reserved for nothing: a capture refused NOT_HELD
 *                                    while the provider holds it, a void that never reached it.
 *                                    Answers that all left the outcome unknown judge nothing
 *                                    (the shopper was told nothing); a journey with no capture or
 *                                    cancel, or whose shopper never sent one, may end held.
 *   3-D Secure (expect.challenge):
 *     pass, page answered passed     captured exactly once (the webhook must not be lost, nor doubled)
 *     pass, page visit unknown       captured at most once
 *     fail / abandon, or a page that
 *       answered failed, or no visit never captured (nobody authenticated it)
 *
 * So an order planned "refund 30 of 100" whose refund was answered succeeded ends captured 100,
 * refunded 30 — a refund applied twice (60) stays within the capture, where
 * refunds-within-captures cannot see it, and is caught here. Rows are the providers' own ledgers
 * in the shop's order ids (src/run/orders-placed.ts), summed over the order's provider payments:
 * which payment took the money is no-double-charge's question, not this one's.
 */
export interface JourneyOrder {
  readonly orderId: string;
  readonly provider: string;
  readonly currency: string;
  /** The shopper's behaviour (refund_partial, pay_cancel, pay …): named in a violation. */
  readonly journey: string;
  readonly expect: {
    readonly refunds: readonly number[];
    readonly cancel: boolean;
    readonly challenge?: 'pass' | 'fail' | 'abandon' | undefined;
    /** pay_capture: the minor units the shopper captures of its hold. */
    readonly capture?: number | undefined;
    /** void_race_capture: a capture and a cancel of one hold sent at the same instant. */
    readonly race?: boolean | undefined;
  };
}

/** One answer to a refund, cancel or capture request, or to a visit to a 3-D Secure page, as the shopper saw it. */
export interface LifecycleAnswer {
  readonly orderId: string;
  readonly kind: 'refund' | 'cancel' | 'capture' | 'challenge';
  /** The request's idempotency key: a refund and its retries share one. */
  readonly key: string;
  /** A refund's amount, minor units. */
  readonly amount?: number | undefined;
  readonly outcome: PaymentOutcome;
  readonly traceId?: string | undefined;
}

interface Books {
  /** Authorisation rows: a hold (or a payment captured at once, which has its capture row too). */
  authorisations: number;
  authorised: number;
  captured: number;
  /** Capture rows: a payment captured twice is two, whatever the amounts. */
  captures: number;
  refunded: number;
  /** Void rows: an authorisation released. */
  voids: number;
  currencies: Set<string>;
  provider: string;
  paymentIds: Set<string>;
}

export function checkJourneysEndState(orders: Iterable<JourneyOrder>, answers: readonly LifecycleAnswer[], rows: readonly LedgerRow[]): InvariantResult {
  const books = new Map<string, Books>();
  for (const r of rows) {
    if (r.kind !== 'authorization' && r.kind !== 'capture' && r.kind !== 'refund' && r.kind !== 'void') continue;
    let b = books.get(r.orderId);
    if (!b) books.set(r.orderId, (b = { authorisations: 0, authorised: 0, captured: 0, captures: 0, refunded: 0, voids: 0, currencies: new Set(), provider: r.provider, paymentIds: new Set() }));
    b.paymentIds.add(r.paymentId);
    if (r.kind === 'authorization') {
      b.authorisations++;
      b.authorised += r.amount;
    } else if (r.kind === 'void') b.voids++;
    else if (r.kind === 'capture') {
      b.captured += r.amount;
      b.captures++;
      b.currencies.add(r.currency.toLowerCase());
    } else b.refunded += r.amount;
  }
  const told = new Map<string, LifecycleAnswer[]>();
  for (const a of answers) {
    const list = told.get(a.orderId);
    if (list) list.push(a);
    else told.set(a.orderId, [a]);
  }

  const violations: InvariantViolation[] = [];
  let checked = 0;
  for (const order of orders) {
    checked++;
    const b = books.get(order.orderId);
    const said = told.get(order.orderId) ?? [];
    const traceId = said.find((a) => a.traceId !== undefined)?.traceId;
    const violation = (message: string): void =>
      void violations.push({ orderId: order.orderId, provider: b?.provider ?? order.provider, paymentIds: b ? [...b.paymentIds] : [], ...(traceId !== undefined ? { traceId } : {}), message: `${order.journey}: ${message}` });

    // Per refund key: applied for sure (some answer succeeded), surely not (every answer failed), or maybe.
    const refunds = new Map<string, { amount: number; done: boolean; unknown: boolean }>();
    for (const a of said) {
      if (a.kind !== 'refund') continue;
      const k = refunds.get(a.key) ?? { amount: a.amount ?? 0, done: false, unknown: false };
      if (a.outcome === 'succeeded') k.done = true;
      else if (a.outcome === 'pending') k.unknown = true;
      refunds.set(a.key, k);
    }
    let sure = 0;
    let maybe = 0;
    for (const k of refunds.values()) {
      if (k.done) sure += k.amount;
      else if (k.unknown) maybe += k.amount;
    }
    const refunded = b?.refunded ?? 0;
    const captured = b?.captured ?? 0;
    if (refunded < sure) violation(`refunded ${refunded} at ${b?.provider ?? order.provider}, but the shopper was told ${sure} was refunded: a refund answered succeeded is missing`);
    else if (refunded > sure + maybe) {
      violation(
        order.expect.refunds.length === 0 && refunds.size === 0
          ? `refunded ${refunded} at ${b!.provider}, but its journey asks for no refund`
          : `refunded ${refunded} at ${b!.provider}, but the shopper asked for ${sure} answered succeeded and ${maybe} unknown: a refund applied twice, or one answered failed applied`,
      );
    }
    const cancelled = said.some((a) => a.kind === 'cancel' && a.outcome === 'succeeded');
    if (cancelled && captured > 0) violation(`captured ${captured} at ${b!.provider} after its cancel was answered succeeded`);
    if (order.expect.challenge !== undefined) checkChallenge(order.expect.challenge, said, b, violation);
    if (order.expect.capture !== undefined || order.expect.race === true) checkCapture(order.expect.capture, order.expect.race === true, said, b, violation);
    if (order.expect.capture !== undefined || order.expect.race === true || order.expect.cancel) checkHoldClosed(said, b, violation);
    const foreign = b ? [...b.currencies].filter((c) => c !== order.currency.toLowerCase()) : [];
    if (foreign.length > 0) violation(`captured in ${foreign.join(', ')} at ${b!.provider}, but the order is in ${order.currency}`);
  }
  return { name: 'journeys-end-state', unit: 'orders', passed: violations.length === 0, checked, violations };
}

/**
 * A held authorisation's captures against what its shopper was told: a capture answered succeeded
 * was made once (for the amount asked, when the journey names one); none is ever made twice; and a
 * capture that raced a cancel left one state — never captured and voided both.
 */
function checkCapture(asked: number | undefined, race: boolean, said: readonly LifecycleAnswer[], b: Books | undefined, violation: (message: string) => void): void {
  const captured = said.some((a) => a.kind === 'capture' && a.outcome === 'succeeded');
  const captures = b?.captures ?? 0;
  if (captures > 1) violation(`captured ${captures} times at ${b!.provider}: a hold is captured once`);
  else if (captured && captures === 0) violation('its capture was answered succeeded, but nothing was captured');
  else if (captured && asked !== undefined && b!.captured !== asked) violation(`captured ${b!.captured} at ${b!.provider}, but the shopper captured ${asked}`);
  if (race && captures > 0 && (b?.voids ?? 0) > 0) violation(`both captured and voided at ${b!.provider}: a capture racing a cancel must leave one state`);
}

/**
 * A journey that captures or cancels a hold must not leave it open: once its shopper was answered
 * (succeeded or failed) on a capture or a cancel, the provider's authorisation ends captured or
 * voided. An open hold the books of that order show — authorised, no capture, no void — is money
 * reserved that nobody will take or release: the gateway refused or lost the shopper's capture
 * or cancel of a payment the provider holds. A capture answered succeeded with nothing captured
 * is checkCapture's to name, not repeated here.
 */
function checkHoldClosed(said: readonly LifecycleAnswer[], b: Books | undefined, violation: (message: string) => void): void {
  if (b === undefined || b.authorisations === 0 || b.captures > 0 || b.voids > 0) return;
  const answered = said.filter((a) => (a.kind === 'capture' || a.kind === 'cancel') && a.outcome !== 'pending');
  if (answered.length === 0 || answered.some((a) => a.kind === 'capture' && a.outcome === 'succeeded')) return;
  const told = [...new Set(answered.map((a) => `${a.kind} answered ${a.outcome}`))].join(', ');
  violation(`authorised ${b.authorised} at ${b.provider} and left held at the end of the run, never captured nor voided, though its shopper's ${told}`);
}

/**
 * A 3-D Secure journey's captures against what its shopper did at the page: only a shopper the
 * page sent back paid (or whose visit's answer was lost) can have been charged, and one the page
 * sent back paid must have been — once.
 */
function checkChallenge(planned: 'pass' | 'fail' | 'abandon', said: readonly LifecycleAnswer[], b: Books | undefined, violation: (message: string) => void): void {
  const visits = said.filter((a) => a.kind === 'challenge');
  const passed = planned === 'pass' && visits.some((a) => a.outcome === 'succeeded');
  const maybe = planned === 'pass' && !passed && visits.some((a) => a.outcome === 'pending');
  const captures = b?.captures ?? 0;
  if (passed) {
    if (captures === 0) violation('the shopper passed 3-D Secure and the page said paid, but nothing was captured');
    else if (captures > 1) violation(`captured ${captures} times at ${b!.provider} after one 3-D Secure challenge passed`);
  } else if (maybe) {
    if (captures > 1) violation(`captured ${captures} times at ${b!.provider} after one 3-D Secure challenge`);
  } else if (captures > 0) {
    const why = planned === 'abandon' ? 'its shopper abandoned the 3-D Secure challenge' : planned === 'fail' ? 'its shopper failed the 3-D Secure challenge' : visits.length === 0 ? 'its shopper never reached the 3-D Secure page' : 'the 3-D Secure page answered it failed';
    violation(`captured ${b!.captured} at ${b!.provider}, but ${why}`);
  }
}
