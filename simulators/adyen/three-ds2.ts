import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { send } from '../core/index.js';
import type { AdyenContext } from './context.js';
import { validation } from './errors.js';
import type { AdyenPayment } from './objects.js';
import type { Executed } from './operation.js';
import { authorise, refuse } from './payments.js';

/**
 * Native 3-D Secure 2 on the Checkout API (Adyen's "native 3DS2, API only" flow):
 *
 *   /payments with authenticationData.threeDSRequestData.nativeThreeDS = "preferred"
 *     ─▶ IdentifyShopper, action {type: threeDS2, subtype: fingerprint, token, authorisationToken}
 *   /payments/details {details: {threeDSResult}}   (the device fingerprint's result)
 *     ─▶ ChallengeShopper, action {type: threeDS2, subtype: challenge, token, authorisationToken}
 *   /payments/details {details: {threeDSResult}}   (the challenge's result: transStatus)
 *     ─▶ Authorised (transStatus Y) | Refused 11 "3D Not Authenticated", HTTP 200 either way
 *
 * `threeDSResult` is what Adyen's 3DS2 component hands the merchant: base64 of a JSON object
 * carrying the `authorisationToken` of the action (and `transStatus` after a challenge). The
 * simulated issuer always challenges (no frictionless path) and has no 3DS Method URL, so the
 * fingerprint token names none and any fingerprint result is taken. The simulated ACS is
 * `GET|POST /__sim/3ds2/{authorisationToken}?outcome=authorise|refuse`, answering the
 * `threeDSResult` the component would produce.
 */
export function wantsNativeThreeDS2(body: Record<string, unknown>): boolean {
  const auth = body.authenticationData;
  if (typeof auth !== 'object' || auth === null) return false;
  const request = (auth as Record<string, unknown>).threeDSRequestData;
  return typeof request === 'object' && request !== null && (request as Record<string, unknown>).nativeThreeDS === 'preferred';
}

export type ThreeDSResult = { authorisationToken: string | undefined; transStatus: string | undefined } | { invalid: string };

export function readThreeDSResult(text: string): ThreeDSResult {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(text, 'base64').toString('utf8'));
  } catch {
    return { invalid: 'not base64-encoded JSON' };
  }
  if (typeof decoded !== 'object' || decoded === null || Array.isArray(decoded)) return { invalid: 'not a JSON object' };
  const o = decoded as Record<string, unknown>;
  return { authorisationToken: typeof o.authorisationToken === 'string' ? o.authorisationToken : undefined, transStatus: typeof o.transStatus === 'string' ? o.transStatus : undefined };
}

/** A UUID-shaped id from the seeded ids (3DS transaction ids are UUIDs), so replays match. */
const uuidOf = (ctx: AdyenContext) => ctx.ids.digits(32).replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, '$1-$2-$3-$4-$5');

const encode = (o: Record<string, unknown>) => Buffer.from(JSON.stringify(o)).toString('base64');

function action(p: AdyenPayment, subtype: 'fingerprint' | 'challenge', token: Record<string, unknown>) {
  const authorisationToken = p.threeDS2?.token ?? '';
  return { type: 'threeDS2', subtype, paymentMethodType: p.paymentMethodType, authorisationToken, paymentData: authorisationToken, token: encode(token) };
}

export function identifyShopper(ctx: AdyenContext, p: AdyenPayment): Executed {
  const token = ctx.ids.next('3ds2', 32);
  p.threeDS2 = { stage: 'fingerprint', token };
  ctx.state.threeDS2Tokens.set(token, p.pspReference);
  const fingerprint = { threeDSServerTransID: uuidOf(ctx), threeDSMessageVersion: '2.2.0' };
  return {
    response: { status: 200, body: { resultCode: 'IdentifyShopper', pspReference: p.pspReference, merchantReference: p.reference, action: action(p, 'fingerprint', fingerprint) } },
    committed: false,
  };
}

export function continueThreeDS2(ctx: AdyenContext, p: AdyenPayment, result: { transStatus: string | undefined }, key: string | undefined): Executed {
  if (p.detailsResult) return { response: { status: 200, body: p.detailsResult }, committed: false };
  if (!p.threeDS2) return { response: validation('702', `Payment ${p.pspReference} is not in a 3D Secure 2 flow`), committed: false };
  if (p.threeDS2.stage === 'fingerprint') {
    p.threeDS2.stage = 'challenge';
    const challenge = { acsReferenceNumber: 'PAYCHAOS-SIMULATED-ACS', acsTransID: uuidOf(ctx), threeDSServerTransID: uuidOf(ctx), messageVersion: '2.2.0' };
    return {
      response: { status: 200, body: { resultCode: 'ChallengeShopper', pspReference: p.pspReference, merchantReference: p.reference, action: action(p, 'challenge', challenge) } },
      committed: false,
    };
  }
  const done = result.transStatus === 'Y' ? authorise(ctx, p, key) : refuse(ctx, p, '11');
  p.detailsResult = done.response.body as Record<string, unknown>;
  return done;
}

/** The simulated ACS: the shopper passes or fails the challenge; answers the component's threeDSResult. */
export function registerThreeDS2Acs(app: FastifyInstance, ctx: AdyenContext): void {
  const handler = async (req: FastifyRequest<{ Params: { token: string }; Querystring: { outcome?: string } }>, reply: FastifyReply) => {
    const psp = ctx.state.threeDS2Tokens.get(req.params.token);
    const p = psp ? ctx.state.payments.get(psp) : undefined;
    if (!p?.threeDS2) return send(reply, validation('702', `No 3D Secure 2 authentication has authorisationToken ${req.params.token}`, 404));
    if (p.threeDS2.stage !== 'challenge') return send(reply, validation('702', 'The device fingerprint comes first: submit it to /payments/details, then the challenge', 409));
    const outcome = req.query.outcome ?? 'authorise';
    if (outcome !== 'authorise' && outcome !== 'refuse') return send(reply, validation('702', 'outcome must be authorise or refuse', 400));
    return reply.send({ threeDSResult: encode({ transStatus: outcome === 'authorise' ? 'Y' : 'N', authorisationToken: req.params.token }) });
  };
  app.get('/__sim/3ds2/:token', handler);
  app.post('/__sim/3ds2/:token', handler);
}
