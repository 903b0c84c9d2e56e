import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { send, serialised, type ErrorResponse, type StoredResponse, type Executed } from '../core/index.js';
import type { AdyenContext } from './context.js';
import { adyenError, validation } from './errors.js';

/**
 * One mutating Adyen request with Adyen's idempotency semantics (PROVIDERS.md):
 *
 * - `idempotency-key` (≤ 64 characters, POST only) makes a request happen at most once; the
 *   same key replays the first result;
 * - a duplicate while the first is in flight → 422 (or 409) errorCode 704 "request already
 *   processed or in progress", with `transient-error: true`: retry later with the same key;
 * - the same key on a different request → 422 errorCode 704, not transient;
 * - the idempotency store down → 503 errorCode 703 with `transient-error: true`;
 * - a transient failure is never stored. "Commit then 500" stores the real result and answers
 *   500 with `transient-error: true`, so the retry Adyen asks for gets the committed result —
 *   the opposite of Stripe, which replays the 500.
 */
export const MAX_KEY_LENGTH = 64;
/** Adyen keeps keys for at least 7 days. */
export const KEY_TTL_MS = 7 * 24 * 60 * 60 * 1000;

export type { Executed } from '../core/index.js';

export interface AdyenOperation {
  validate?(): ErrorResponse | undefined;
  execute(idempotencyKey: string | undefined): Executed;
}

export async function runAdyenOperation(req: FastifyRequest, reply: FastifyReply, ctx: AdyenContext, op: AdyenOperation): Promise<FastifyReply> {
  const header = req.headers['idempotency-key'];
  const key = typeof header === 'string' && header !== '' ? header : undefined;
  if (key !== undefined && key.length > MAX_KEY_LENGTH) return send(reply, validation('702', `Idempotency key must be at most ${MAX_KEY_LENGTH} characters`, 400));
  const invalid = op.validate?.();
  if (invalid) return send(reply, invalid);
  if (key === undefined) return send(reply, await execute(ctx, op, undefined, () => undefined));
  if (ctx.behaviour.idempotencyDown()) return send(reply, adyenError(503, '703', 'Idempotency store unavailable', 'internal', true));

  const claim = ctx.idempotency.claim(key, fingerprint(req));
  switch (claim.kind) {
    case 'mismatch':
      return send(reply, validation('704', 'request already processed or in progress'));
    case 'in_flight':
      return send(reply, adyenError(ctx.inFlightStatus, '704', 'request already processed or in progress', 'validation', true));
    case 'replay':
      return send(reply, { ...claim.response, headers: { ...claim.response.headers, 'idempotency-key': key } });
    case 'new': {
      const response = await execute(ctx, op, key, (stored) => (stored ? claim.complete(stored) : claim.abandon()));
      return send(reply, { ...response, headers: { ...response.headers, 'idempotency-key': key } });
    }
  }
}

async function execute(ctx: AdyenContext, op: AdyenOperation, key: string | undefined, store: (stored: StoredResponse | undefined) => void): Promise<StoredResponse> {
  const delay = ctx.behaviour.processingDelayMs();
  if (delay > 0) await sleep(delay);
  let done: Executed;
  try {
    done = op.execute(key);
  } catch {
    store(undefined);
    return adyenError(500, '000', 'An unknown error occurred', 'internal', true);
  }
  // Serialised now: the stored result is a snapshot, and what is sent is the same bytes.
  const response = serialised(done.response);
  store(response);
  done.after?.();
  if (done.committed) {
    const status = ctx.behaviour.commitThenError();
    if (status !== undefined) return adyenError(status, '000', 'An unknown error occurred', 'internal', true);
  }
  return response;
}

function fingerprint(req: FastifyRequest): string {
  return createHash('sha256').update(`${req.method} ${req.url.split('?')[0]}\n${JSON.stringify(req.body ?? {})}`).digest('hex');
}
