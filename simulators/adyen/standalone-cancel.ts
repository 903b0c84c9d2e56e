import type { FastifyInstance } from 'fastify';
import { adyenNotification } from './webhooks.js';
import { recordMovement, type AdyenContext } from './context.js';
import { validation } from './errors.js';
import { decide } from './modifications.js';
import { runAdyenOperation, type Executed } from './operation.js';
import { API_VERSIONS } from './payments.js';

/**
 * `POST /cancels`: cancel an authorisation by the merchant's own `paymentReference`, for when
 * the pspReference never arrived (a timeout on `/payments`) — Adyen's technical cancel. As with
 * every modification the request is only received (201, `status: received`); the outcome is a
 * TECHNICAL_CANCEL notification. A reference with no payment (the timed-out request never
 * reached Adyen) or a payment already captured is `success: false` there; the ledger moves only
 * for a held authorisation (a `void` of what is open).
 */
type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

export function registerStandaloneCancel(app: FastifyInstance, ctx: AdyenContext): void {
  for (const version of API_VERSIONS) {
    app.post(`/${version}/cancels`, async (req, reply) => {
      const body = isObject(req.body) ? req.body : {};
      return runAdyenOperation(req, reply, ctx, {
        validate: () => {
          if (typeof body.merchantAccount !== 'string' || body.merchantAccount === '') return validation('901', 'Invalid Merchant Account');
          if (typeof body.paymentReference !== 'string' || body.paymentReference === '') return validation('702', "Required field 'paymentReference' is not provided.");
          if (body.reference !== undefined && (typeof body.reference !== 'string' || body.reference.length > 80)) return validation('130', "Field 'reference' must be text of at most 80 characters.");
          return undefined;
        },
        execute: (key) => cancel(ctx, body, key),
      });
    });
  }
}

function cancel(ctx: AdyenContext, body: Json, key: string | undefined): Executed {
  const merchantAccount = body.merchantAccount as string;
  const paymentReference = body.paymentReference as string;
  const psp = ctx.state.byReference.get(paymentReference);
  const p = psp ? ctx.state.payments.get(psp) : undefined;
  const modificationReference = ctx.ids.digits(16);
  const outcome = !p ? ({ ok: false, reason: `No payment with reference ${paymentReference}` } as const) : p.merchantAccount !== merchantAccount ? ({ ok: false, reason: 'Payment belongs to another merchant account' } as const) : decide('cancels', p, undefined);
  if (p && outcome.ok) {
    recordMovement(ctx, p, 'void', outcome.amount, key, modificationReference);
    p.voided += outcome.amount;
    p.status = 'cancelled';
  }
  const response = { merchantAccount, paymentReference, pspReference: modificationReference, ...(typeof body.reference === 'string' ? { reference: body.reference } : {}), status: 'received' };
  const after = () =>
    ctx.webhooks.emit(
      adyenNotification(ctx.ids.next('ntf'), {
        pspReference: modificationReference,
        ...(p ? { originalReference: p.pspReference } : {}),
        merchantAccountCode: merchantAccount,
        merchantReference: paymentReference,
        amount: { value: outcome.ok ? outcome.amount : 0, currency: p?.amount.currency ?? 'EUR' },
        eventCode: 'TECHNICAL_CANCEL',
        eventDate: ctx.now().toISOString().replace(/\.\d+Z$/, '+00:00'),
        success: outcome.ok ? 'true' : 'false',
        ...(outcome.ok ? {} : { reason: outcome.reason }),
      }),
    );
  return { response: { status: 201, body: response }, committed: outcome.ok, after };
}
