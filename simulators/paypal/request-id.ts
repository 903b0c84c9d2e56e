import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { send, serialised, type StoredResponse, type Executed } from '../core/index.js';
import type { PaypalContext } from './context.js';

/**
 * `PayPal-Request-Id`: a POST with a key PayPal has seen answers with the stored response, and
 * does nothing again. The key belongs to one call: the same key on another path is 422
 * PAYPAL_REQUEST_ID_PREVIOUSLY_USED. A duplicate that arrives while the first is running waits
 * for it and gets its answer. Keys are kept 6 hours (PayPal's default for Orders). A 5xx is never
 * stored, so after "commit then error" the retry gets the committed result.
 */
export const REQUEST_ID_TTL_MS = 6 * 60 * 60 * 1000;

export type { Executed } from '../core/index.js';

export async function withRequestId(req: FastifyRequest, reply: FastifyReply, ctx: PaypalContext, execute: () => Executed): Promise<FastifyReply> {
  const header = req.headers['paypal-request-id'];
  const key = typeof header === 'string' && header !== '' ? header : undefined;
  if (key === undefined) return send(reply, await run(ctx, execute, () => undefined));
  const claim = ctx.idempotency.claim(key, `${req.method} ${req.url.split('?')[0]}`);
  switch (claim.kind) {
    case 'mismatch':
      return send(reply, ctx.errors.issue('PAYPAL_REQUEST_ID_PREVIOUSLY_USED'));
    case 'replay':
      return send(reply, claim.response);
    case 'in_flight': {
      const pending = ctx.inFlight.get(key);
      return send(reply, pending ? await pending : ctx.errors.issue('PAYPAL_REQUEST_ID_PREVIOUSLY_USED'));
    }
    case 'new': {
      let settle: (r: StoredResponse) => void = () => {};
      ctx.inFlight.set(key, new Promise<StoredResponse>((resolve) => (settle = resolve)));
      const response = await run(ctx, execute, (stored) => (stored ? claim.complete(stored) : claim.abandon()));
      settle(response);
      ctx.inFlight.delete(key);
      return send(reply, response);
    }
  }
}

async function run(ctx: PaypalContext, execute: () => Executed, store: (r: StoredResponse | undefined) => void): Promise<StoredResponse> {
  const delay = ctx.behaviour.processingDelayMs();
  if (delay > 0) await sleep(delay);
  let done: Executed;
  try {
    done = execute();
  } catch {
    store(undefined);
    return serialised(ctx.errors.issue('INTERNAL_SERVER_ERROR'));
  }
  const response = serialised({ ...done.response, headers: { ...done.response.headers, 'paypal-debug-id': ctx.errors.debugId() } });
  store(response.status >= 500 ? undefined : response);
  done.after?.();
  if (done.committed) {
    const status = ctx.behaviour.commitThenError();
    if (status !== undefined) return serialised({ ...ctx.errors.issue(status === 503 ? 'SERVICE_UNAVAILABLE' : 'INTERNAL_SERVER_ERROR'), status });
  }
  return response;
}
