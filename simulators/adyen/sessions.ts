import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { send, traceIdOf, type ErrorResponse } from '../core/index.js';
import type { AdyenContext } from './context.js';
import { validation } from './errors.js';
import type { AdyenPayment, AdyenSession } from './objects.js';
import { API_VERSIONS, authorise, checkOrderFields, refuse } from './payments.js';

/**
 * Checkout sessions, Adyen's recommended ("Sessions flow") integration:
 *
 *   POST /sessions {merchantAccount, amount, reference, returnUrl, countryCode?, mode?}
 *     ─▶ 201 {id, sessionData, expiresAt (1 h), mode, url (hosted mode), …the request echoed}
 *   the shopper pays in Drop-in (or on the hosted page `url`)
 *     ─▶ returnUrl?sessionId=…&sessionResult=…
 *   GET /sessions/{id}?sessionResult=…  ─▶ {id, reference, status, payments: [{amount, pspReference, resultCode}]}
 *
 * Drop-in's own calls (`/checkoutshopper/…/sessions/{id}/payments`, made with the client key
 * from the browser) are not simulated: the shopper's part is the page
 * `GET|POST /__sim/session/{id}?outcome=authorise|refuse|cancel`, which pays the session's amount
 * with a test Visa card (the ledger and the AUTHORISATION notification as for `/payments`) and
 * sends the shopper back to `returnUrl` the way Adyen's hosted page does.
 */
type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const SESSION_TTL_MS = 60 * 60 * 1000;
const adyenDate = (d: Date) => d.toISOString().replace(/\.\d+Z$/, '+00:00');

function checkSession(body: Json): ErrorResponse | undefined {
  const order = checkOrderFields(body);
  if (order) return order;
  if (typeof body.returnUrl !== 'string' || body.returnUrl === '') return validation('14_030', 'Return URL is missing.');
  // An app's own scheme (my-app://…) is a URL too; plain text is not somewhere to send a shopper.
  if (!URL.canParse(body.returnUrl)) return validation('14_030', `Return URL is not a URL: ${body.returnUrl.slice(0, 80)}`);
  if (body.mode !== undefined && body.mode !== 'embedded' && body.mode !== 'hosted') return validation('702', "Field 'mode' must be embedded or hosted");
  return undefined;
}

function statusOf(ctx: AdyenContext, s: AdyenSession): string {
  const last = s.payments.at(-1);
  const p = last ? ctx.state.payments.get(last) : undefined;
  if (p?.status === 'authorised') return 'completed';
  if (p?.status === 'refused' || p?.status === 'error') return 'refused';
  if (s.result !== undefined) return 'canceled';
  return ctx.now().getTime() > s.expiresAt.getTime() ? 'expired' : 'active';
}

export function registerSessions(app: FastifyInstance, ctx: AdyenContext): void {
  for (const version of API_VERSIONS) {
    app.post(`/${version}/sessions`, async (req, reply) => {
      const body = isObject(req.body) ? req.body : {};
      const invalid = checkSession(body);
      if (invalid) return send(reply, invalid);
      const amount = body.amount as { value: number; currency: string };
      const session: AdyenSession = {
        id: `CS${ctx.ids.digits(16)}`,
        merchantAccount: body.merchantAccount as string,
        reference: body.reference as string,
        amount: { value: amount.value, currency: amount.currency },
        returnUrl: body.returnUrl as string,
        expiresAt: new Date(ctx.now().getTime() + SESSION_TTL_MS),
        countryCode: typeof body.countryCode === 'string' ? body.countryCode : undefined,
        payments: [],
      };
      ctx.state.sessions.set(session.id, session);
      const mode = body.mode === 'hosted' ? 'hosted' : 'embedded';
      const origin = `${req.protocol}://${req.headers.host ?? 'localhost'}`;
      return reply.code(201).send({
        ...body,
        amount: session.amount,
        expiresAt: adyenDate(session.expiresAt),
        id: session.id,
        mode,
        sessionData: Buffer.from(`${session.id}.${ctx.ids.next('sd', 40)}`).toString('base64'),
        ...(mode === 'hosted' ? { url: `${origin}/__sim/session/${session.id}` } : {}),
      });
    });

    app.get(`/${version}/sessions/:id`, async (req: FastifyRequest<{ Params: { id: string }; Querystring: { sessionResult?: string } }>, reply) => {
      const s = ctx.state.sessions.get(req.params.id);
      if (!s) return send(reply, validation('702', `Session ${req.params.id} not found`));
      const result = req.query.sessionResult;
      if (!result) return send(reply, validation('702', "Required query parameter 'sessionResult' is not provided."));
      if (result !== s.result) return send(reply, validation('702', 'Invalid sessionResult for this session'));
      const payments = s.payments.flatMap((psp) => {
        const p = ctx.state.payments.get(psp);
        return p ? [{ amount: p.amount, pspReference: p.pspReference, resultCode: p.status === 'authorised' ? 'Authorised' : 'Refused' }] : [];
      });
      return reply.send({ id: s.id, reference: s.reference, status: statusOf(ctx, s), ...(payments.length > 0 ? { payments } : {}) });
    });
  }
  registerShopperPage(app, ctx);
}

function registerShopperPage(app: FastifyInstance, ctx: AdyenContext): void {
  const handler = async (req: FastifyRequest<{ Params: { id: string }; Querystring: { outcome?: string } }>, reply: FastifyReply) => {
    const s = ctx.state.sessions.get(req.params.id);
    if (!s) return send(reply, validation('702', `Session ${req.params.id} not found`, 404));
    if (s.result !== undefined) return send(reply, validation('702', `Session ${s.id} is already finished`, 409));
    if (statusOf(ctx, s) === 'expired') return send(reply, validation('702', `Session ${s.id} has expired`, 409));
    const outcome = req.query.outcome ?? 'authorise';
    if (outcome !== 'authorise' && outcome !== 'refuse' && outcome !== 'cancel') return send(reply, validation('702', 'outcome must be authorise, refuse or cancel', 400));
    if (outcome !== 'cancel') {
      const p: AdyenPayment = {
        pspReference: ctx.ids.digits(16),
        merchantAccount: s.merchantAccount,
        reference: s.reference,
        amount: s.amount,
        paymentMethodType: 'scheme',
        brand: 'visa',
        captureMode: 'auto',
        status: 'redirect_shopper',
        captured: 0,
        refunded: 0,
        voided: 0,
        traceId: traceIdOf(req.headers),
        idempotencyKey: undefined,
        returnUrl: s.returnUrl,
      };
      ctx.state.payments.set(p.pspReference, p);
      ctx.state.byReference.set(p.reference, p.pspReference);
      s.payments.push(p.pspReference);
      const forced = ctx.behaviour.drawOutcome(p.reference);
      const done = outcome === 'refuse' || forced !== undefined ? refuse(ctx, p, forced ?? '2') : authorise(ctx, p, undefined);
      done.after?.();
    }
    s.result = Buffer.from(`${s.id}.${ctx.ids.next('sr', 24)}`).toString('base64url');
    const back = new URL(s.returnUrl);
    back.searchParams.set('sessionId', s.id);
    back.searchParams.set('sessionResult', s.result);
    return reply.redirect(back.toString(), 302);
  };
  app.get('/__sim/session/:id', handler);
  app.post('/__sim/session/:id', handler);
}
