import type { FastifyInstance, FastifyRequest } from 'fastify';
import { send } from '../core/index.js';
import type { PaypalContext } from './context.js';

/**
 * The webhook events' own links: `GET /v1/notifications/webhooks-events/{id}` shows an event the
 * simulator sent (the newest ones are kept, as many as the simulator retains, at most 50,000), and
 * `POST …/{id}/resend` sends it again — the same id and body, freshly signed — answered 202 with
 * the event, as PayPal's resend does.
 */
export function registerEvents(app: FastifyInstance, ctx: PaypalContext): void {
  const find = (req: FastifyRequest<{ Params: { id: string } }>) => ctx.state.events.get(req.params.id);
  app.get('/v1/notifications/webhooks-events/:id', async (req: FastifyRequest<{ Params: { id: string } }>, reply) => {
    const e = find(req);
    return send(reply, e ? { status: 200, body: JSON.parse(e.payload) as unknown } : ctx.errors.issue('INVALID_RESOURCE_ID', { field: 'event_id' }));
  });
  app.post('/v1/notifications/webhooks-events/:id/resend', async (req: FastifyRequest<{ Params: { id: string } }>, reply) => {
    const e = find(req);
    if (!e) return send(reply, ctx.errors.issue('INVALID_RESOURCE_ID', { field: 'event_id' }));
    ctx.webhooks.emit({ id: req.params.id, type: e.type, payload: e.payload });
    return send(reply, { status: 202, body: JSON.parse(e.payload) as unknown });
  });
}
