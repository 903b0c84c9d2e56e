import type { FastifyInstance } from 'fastify';
import { errorBody } from './error-body.js';
import type { GatewayStore } from './store/index.js';

/**
 * `GET /ledger`: what the gateway believes it settled — every journal entry of its double-entry
 * ledger with the payment it belongs to (order, provider, the provider's ids, method), the amount
 * it moved and its lines. `paychaos reconcile` matches it with each provider's settlement report;
 * the run engine reads it for `reconciliation-clean` and `ledger-balances`. docs/gateway.md
 * "Ledger export".
 *
 * `?provider=` and `?since=`/`?until=` (ISO-8601, booking time) narrow it; `fee` is the provider
 * fee the entry booked (fees.ts: each capture of a provider with a published price, 0 included;
 * a refund's, negative, when part of the fee came back), so a reconciliation judges fees too.
 */
export function registerLedgerRoutes(app: FastifyInstance, store: GatewayStore): void {
  app.get<{ Querystring: { provider?: string; since?: string; until?: string } }>('/ledger', async (req, reply) => {
    const { provider } = req.query;
    const bounds: { since?: number; until?: number } = {};
    for (const field of ['since', 'until'] as const) {
      const text = req.query[field];
      if (text === undefined) continue;
      const ms = Date.parse(text);
      if (Number.isNaN(ms)) {
        return reply.code(400).send(errorBody('PAYCHAOS_ERR_GATEWAY_BAD_REQUEST', `${field}: expected an ISO-8601 time like 2026-11-11T00:00:00Z, got "${text}"`));
      }
      bounds[field] = ms;
    }
    const entries = store.ledger.exportEntries({ ...(provider !== undefined ? { provider } : {}), ...bounds });
    return { entries };
  });
}
