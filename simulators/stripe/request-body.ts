import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest, HookHandlerDoneFunction, RouteOptions } from 'fastify';
import { send } from '../core/index.js';
import { stripeError } from './errors.js';

/**
 * What Stripe answers about a request body before it reads any parameter, on every `/v1/` route:
 *
 * - The v1 API reads form-encoded bodies only. A JSON body (or any other kind) is not read at all:
 *   Stripe answers 400 invalid_request_error with the message below, with neither code nor param,
 *   instead of judging parameters it never saw. A POST without a body needs no content type.
 * - A body over the size limit is 413. Stripe publishes neither its limit nor the body of that
 *   answer; ours is the simulator's body limit (1 MiB) and the answer is in Stripe's error shape,
 *   so clients read it as they read any other Stripe error (the official Node SDK, which classes
 *   errors by status: a StripeAPIError with statusCode 413).
 */
export const FORM_ONLY_MESSAGE =
  'Invalid request (check that your POST content type is application/x-www-form-urlencoded). If you have any questions, we can help at https://support.stripe.com/.';

const FORM = 'application/x-www-form-urlencoded';

/** Call before the routes are registered: the rules attach to each `/v1/` route as it is added. */
export function registerBodyRules(app: FastifyInstance): void {
  const limit = app.initialConfig.bodyLimit ?? 1024 * 1024;
  const tooLarge = (err: FastifyError, _req: FastifyRequest, reply: FastifyReply): void => {
    // Anything else goes on to the simulator's own error handler.
    if (err.code !== 'FST_ERR_CTP_BODY_TOO_LARGE') throw err;
    send(reply, { status: 413, body: stripeError('invalid_request_error', `Request body too large: this API accepts at most ${limit} bytes.`) });
  };
  app.addHook('onRoute', (route: RouteOptions) => {
    if (!route.url.startsWith('/v1/')) return;
    route.errorHandler = tooLarge;
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    if (methods.includes('POST')) route.onRequest = [...hooksOf(route.onRequest), refuseUnlessForm];
  });
}

function refuseUnlessForm(req: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction): void {
  if (!hasBody(req) || mediaType(req.headers['content-type']) === FORM) return done();
  send(reply, { status: 400, body: stripeError('invalid_request_error', FORM_ONLY_MESSAGE) });
}

function hasBody(req: FastifyRequest): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

function mediaType(header: string | undefined): string | undefined {
  return header?.split(';', 1)[0]!.trim().toLowerCase();
}

function hooksOf<T>(hooks: T | T[] | undefined): T[] {
  return hooks === undefined ? [] : Array.isArray(hooks) ? hooks : [hooks];
}
