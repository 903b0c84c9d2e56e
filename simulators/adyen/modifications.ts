import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ErrorResponse } from '../core/index.js';
import { notify, recordMovement, type AdyenContext } from './context.js';
import { validation } from './errors.js';
import type { AdyenPayment } from './objects.js';
import { runAdyenOperation, type Executed } from './operation.js';
import { API_VERSIONS } from './payments.js';
import { readSplits, type AdyenSplit } from './splits.js';
import type { AdyenEventCode } from './webhooks.js';

/**
 * Captures, refunds, cancels and reversals (`/payments/{pspReference}/…`). As with Adyen, the
 * request is only *received* (201, `status: received`, a new pspReference); whether it worked
 * arrives in a notification (CAPTURE, REFUND, CANCELLATION, CANCEL_OR_REFUND with `success`).
 * The simulator processes at once: the ledger moves before the 201 is sent, and a failed
 * modification moves nothing.
 */
type Kind = 'captures' | 'refunds' | 'cancels' | 'reversals';
type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

type Outcome = { ok: true; kind: 'capture' | 'refund' | 'void'; amount: number } | { ok: false; reason: string };

export function registerModifications(app: FastifyInstance, ctx: AdyenContext): void {
  for (const version of API_VERSIONS) {
    for (const kind of ['captures', 'refunds', 'cancels', 'reversals'] as const) {
      // Named pspReference, not psp: an id by name, so a Luhn-valid one (one in ten) is not taken
      // for a card number by the arrival mask (core/card-numbers.ts) or the log redactor.
      app.post(`/${version}/payments/:pspReference/${kind}`, async (req: FastifyRequest<{ Params: { pspReference: string } }>, reply) => {
        const body = isObject(req.body) ? req.body : {};
        const payment = ctx.state.payments.get(req.params.pspReference);
        return runAdyenOperation(req, reply, ctx, {
          validate: () => check(kind, body, payment, req.params.pspReference),
          execute: (key) => modify(ctx, kind, body, payment as AdyenPayment, key),
        });
      });
    }
  }
}

function check(kind: Kind, body: Json, payment: AdyenPayment | undefined, psp: string): ErrorResponse | undefined {
  if (typeof body.merchantAccount !== 'string' || body.merchantAccount === '') return validation('901', 'Invalid Merchant Account');
  if (!payment) return validation('167', `Original pspReference required for this operation; ${psp} is not known`);
  if (kind === 'captures' || kind === 'refunds') {
    if (!isObject(body.amount)) return validation('100', 'There is no amount specified in the request.');
    const { value, currency } = body.amount;
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0) return validation('137', 'Invalid amount specified');
    if (currency !== payment.amount.currency) return validation('138', `Currency ${String(currency)} does not match the payment's ${payment.amount.currency}`);
    // Split data of a capture or refund must add up to that modification's amount (splits.ts).
    return readSplits(body.splits, { value, currency: payment.amount.currency }).error;
  }
  return undefined;
}

function modify(ctx: AdyenContext, kind: Kind, body: Json, p: AdyenPayment, key: string | undefined): Executed {
  const requested = isObject(body.amount) ? (body.amount.value as number) : undefined;
  const outcome = decide(kind, p, requested);
  const modificationReference = ctx.ids.digits(16);
  if (outcome.ok) {
    recordMovement(ctx, p, outcome.kind, outcome.amount, key, modificationReference);
    if (outcome.kind === 'capture') p.captured += outcome.amount;
    else if (outcome.kind === 'refund') p.refunded += outcome.amount;
    else {
      p.voided += outcome.amount;
      p.status = 'cancelled';
    }
  }
  const eventCode: AdyenEventCode = { captures: 'CAPTURE', refunds: 'REFUND', cancels: 'CANCELLATION', reversals: 'CANCEL_OR_REFUND' }[kind] as AdyenEventCode;
  const amount = { value: outcome.ok ? outcome.amount : (requested ?? 0), currency: p.amount.currency };
  const response = {
    merchantAccount: p.merchantAccount,
    paymentPspReference: p.pspReference,
    pspReference: modificationReference,
    ...(typeof body.reference === 'string' ? { reference: body.reference } : {}),
    status: 'received',
    ...(kind === 'captures' || kind === 'refunds' ? { amount } : {}),
    ...(outcome.ok ? splitsOf(kind, body, p, amount.value) : {}),
  };
  return {
    response: { status: 201, body: response },
    committed: outcome.ok,
    after: () => notify(ctx, p, eventCode, outcome.ok, { modificationReference, amount, ...(outcome.ok ? {} : { reason: outcome.reason }) }),
  };
}

/**
 * The split data a capture or refund books with, echoed in its answer as Adyen does: its own, else
 * for a capture of the whole amount the authorisation's (Adyen reuses them; a partial capture
 * without its own books everything to the liable account, so none are echoed).
 */
function splitsOf(kind: Kind, body: Json, p: AdyenPayment, amount: number): { splits?: AdyenSplit[] } {
  if (kind !== 'captures' && kind !== 'refunds') return {};
  const own = readSplits(body.splits, { value: amount, currency: p.amount.currency }).splits;
  if (own) return { splits: own };
  if (kind === 'captures' && p.splits && amount === p.amount.value) return { splits: p.splits };
  return {};
}

/** What a modification may do to a payment in its current state. */
export function decide(kind: Kind, p: AdyenPayment, requested: number | undefined): Outcome {
  if (p.status !== 'authorised') return { ok: false, reason: `Payment is ${p.status}, not authorised` };
  const open = p.amount.value - p.captured - p.voided;
  const refundable = p.captured - p.refunded;
  switch (kind) {
    case 'captures':
      if (p.captureMode === 'auto') return { ok: false, reason: 'Payment was captured automatically' };
      if ((requested ?? 0) > open) return { ok: false, reason: `Insufficient amount to capture: ${open} left` };
      return { ok: true, kind: 'capture', amount: requested ?? 0 };
    case 'refunds':
      if ((requested ?? 0) > refundable) return { ok: false, reason: `Insufficient balance on payment: ${refundable} refundable` };
      return { ok: true, kind: 'refund', amount: requested ?? 0 };
    case 'cancels':
      if (p.captured > 0) return { ok: false, reason: 'Payment is already captured; refund it instead' };
      return { ok: true, kind: 'void', amount: open };
    case 'reversals':
      if (p.captured > 0) return refundable > 0 ? { ok: true, kind: 'refund', amount: refundable } : { ok: false, reason: 'Payment is fully refunded' };
      return { ok: true, kind: 'void', amount: open };
  }
}
