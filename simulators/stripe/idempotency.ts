import { hash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { type Behaviour, type ErrorResponse, type IdempotencyStore, type StoredResponse, type Executed, send, serialised } from '../core/index.js';
import { stripeError } from './errors.js';

/**
 * One mutating Stripe request, run with Stripe's idempotency semantics (PROVIDERS.md):
 *
 * - validation runs first, and its failures are answered but never stored, so a retry with the
 *   same key runs afresh;
 * - the first response is stored once execution starts — a 500 too — and replayed for the same
 *   key with `Idempotent-Replayed: true`;
 * - the same key with different parameters (or on another endpoint) → 400 `idempotency_error`;
 * - a request while the first with its key is still executing → 409 `idempotency_error`.
 *
 * Between the claim and the work sits the profile's processing latency, which is what makes
 * concurrent duplicates meet an in-flight key, as they do against the real API.
 */
export const MAX_KEY_LENGTH = 255;
/** Stripe keeps keys for at least 24 hours. */
export const KEY_TTL_MS = 24 * 60 * 60 * 1000;

export type { Executed } from '../core/index.js';

export interface StripeOperation {
  validate?(): ErrorResponse | undefined;
  execute(idempotencyKey: string | undefined): Executed;
}

export interface OperationDeps {
  idempotency: IdempotencyStore;
  behaviour: Behaviour;
}

const API_ERROR: StoredResponse = { status: 500, body: stripeError('api_error', 'An unknown error occurred') };

/**
 * Answers synchronously when the profile adds no processing latency (the reply is sent before it
 * returns); otherwise returns a promise. Route handlers pass the result through `settled()`.
 */
export function runStripeOperation(req: FastifyRequest, reply: FastifyReply, deps: OperationDeps, params: unknown, op: StripeOperation): FastifyReply | Promise<FastifyReply> {
  const header = req.headers['idempotency-key'];
  const key = typeof header === 'string' && header !== '' ? header : undefined;
  if (key !== undefined && key.length > MAX_KEY_LENGTH) {
    return send(reply, {
      status: 400,
      body: stripeError('invalid_request_error', `Idempotency-Key value is too long (${key.length} characters); it must be at most ${MAX_KEY_LENGTH} characters.`, { param: 'Idempotency-Key' }),
    });
  }
  const invalid = op.validate?.();
  if (invalid) return send(reply, invalid);

  if (key === undefined) {
    const executed = execute(deps, op, undefined);
    return executed instanceof Promise ? executed.then((r) => send(reply, r)) : send(reply, executed);
  }
  // Stripe documents no special answer for this; a 500 api_error that is not stored is what a client would see.
  if (deps.behaviour.idempotencyDown()) return send(reply, API_ERROR);

  const claim = deps.idempotency.claim(key, fingerprint(req, params));
  switch (claim.kind) {
    case 'mismatch':
      return send(reply, {
        status: 400,
        body: stripeError('idempotency_error', `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.`),
      });
    case 'in_flight':
      return send(reply, {
        status: 409,
        body: stripeError('idempotency_error', 'There is currently another in-progress request using this Stripe Idempotency-Key. Please try again later.', { code: 'idempotency_key_in_use' }),
      });
    case 'replay':
      return send(reply, { ...claim.response, headers: { ...claim.response.headers, 'idempotent-replayed': 'true', 'idempotency-key': key } });
    case 'new': {
      // Serialised now: later changes to the object must not alter what a replay returns.
      const answer = (executed: StoredResponse): FastifyReply => {
        const response = serialised(executed);
        claim.complete(response);
        return send(reply, { status: response.status, body: response.body, headers: { ...response.headers, 'idempotency-key': key } });
      };
      const executed = execute(deps, op, key);
      return executed instanceof Promise ? executed.then(answer) : answer(executed);
    }
  }
}

/**
 * What a route handler returns for a `runStripeOperation` result: the promise when there is one,
 * else nothing — fastify then treats the handler as one that already sent its reply, and no
 * promise is made per request.
 */
export function settled(result: FastifyReply | Promise<FastifyReply>): Promise<FastifyReply> | undefined {
  return result instanceof Promise ? result : undefined;
}

/**
 * Without a processing delay the operation runs and answers in the same tick: no promise per
 * request on the hot path (a load test with no latency profile sends tens of thousands a second).
 */
function execute(deps: OperationDeps, op: StripeOperation, key: string | undefined): StoredResponse | Promise<StoredResponse> {
  const delay = deps.behaviour.processingDelayMs();
  return delay > 0 ? sleep(delay).then(() => run(op, deps, key)) : run(op, deps, key);
}

function run(op: StripeOperation, deps: OperationDeps, key: string | undefined): StoredResponse {
  let done: Executed;
  try {
    done = op.execute(key);
  } catch {
    // Execution started, so what the caller sees — a 500 — is what a replay returns too.
    return API_ERROR;
  }
  done.after?.();
  if (done.committed) {
    const status = deps.behaviour.commitThenError();
    if (status !== undefined) return { status, body: stripeError('api_error', 'An unknown error occurred') };
  }
  return done.response;
}

/** Same endpoint and same parameters ⇔ same fingerprint (one-shot hash: no Hash object per request). */
function fingerprint(req: FastifyRequest, params: unknown): string {
  const url = req.url;
  const q = url.indexOf('?');
  return hash('sha256', `${req.method} ${q === -1 ? url : url.slice(0, q)}\n${JSON.stringify(params ?? {})}`, 'base64');
}
