import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { send, type FormObject } from '../core/index.js';
import type { StripeContext } from './context.js';
import { createdFilter, isErrorResponse, newestFirst, paginate, queryOf } from './lists.js';
import { optionalString } from './params.js';
import { missing } from './payment-intents.js';

/**
 * The list endpoints of the payment resources, with the filters Stripe documents for each:
 * `GET /v1/payment_intents` (customer, created), `/v1/charges` (payment_intent, customer,
 * created), `/v1/refunds` (payment_intent, charge, created); and balance transactions by id.
 */
export function registerListing(app: FastifyInstance, ctx: StripeContext): void {
  app.get('/v1/payment_intents', async (req, reply) =>
    listOf(req, reply, '/v1/payment_intents', 'payment_intent', newestFirst(ctx.state.intents).map((r) => r.intent), (p) => [['customer', (i) => i.customer]]),
  );
  app.get('/v1/charges', async (req, reply) =>
    listOf(req, reply, '/v1/charges', 'charge', newestFirst(ctx.state.charges), () => [
      ['payment_intent', (c) => c.payment_intent],
      ['customer', (c) => c.customer],
    ]),
  );
  app.get('/v1/refunds', async (req, reply) =>
    listOf(req, reply, '/v1/refunds', 'refund', newestFirst(ctx.state.refunds), () => [
      ['payment_intent', (r) => r.payment_intent],
      ['charge', (r) => r.charge],
    ]),
  );
  app.get('/v1/disputes', async (req, reply) =>
    listOf(req, reply, '/v1/disputes', 'dispute', newestFirst(ctx.state.disputes), () => [
      ['payment_intent', (d) => d.payment_intent],
      ['charge', (d) => d.charge],
    ]),
  );
  app.get('/v1/balance_transactions/:id', async (req: FastifyRequest<{ Params: { id: string } }>, reply) => {
    const txn = ctx.state.balanceTransactions.get(req.params.id);
    return txn ?? send(reply, missing('balance_transaction', req.params.id, 'id', 404));
  });
}

type Filter<T> = [param: string, field: (item: T) => string | null];

function listOf<T extends { id: string; created: number }>(
  req: FastifyRequest,
  reply: FastifyReply,
  url: string,
  objectName: string,
  items: T[],
  filters: (params: FormObject) => Filter<T>[],
): unknown {
  const params = queryOf(req);
  const created = createdFilter(params);
  if (created !== undefined && typeof created !== 'function') return send(reply, created);
  let kept = created ? items.filter((x) => created(x.created)) : items;
  for (const [param, field] of filters(params)) {
    const want = optionalString(params, param);
    if (want !== undefined) kept = kept.filter((x) => field(x) === want);
  }
  const page = paginate(kept, params, url, objectName);
  return isErrorResponse(page) ? send(reply, page) : page;
}
