import type { FastifyInstance } from 'fastify';
import { send } from '../core/index.js';
import type { PaypalContext } from './context.js';

/**
 * OAuth 2.0 client credentials, as PayPal's REST API wants: `POST /v1/oauth2/token` with
 * Basic client_id:secret and `grant_type=client_credentials` returns a bearer token, which every
 * other call must carry. Tokens live `TOKEN_TTL_S` (PayPal: 32,400 s).
 */
export const TOKEN_TTL_S = 32_400;

export function registerAuth(app: FastifyInstance, ctx: PaypalContext, credentials: { clientId: string; clientSecret: string }): void {
  const expected = `Basic ${Buffer.from(`${credentials.clientId}:${credentials.clientSecret}`).toString('base64')}`;
  app.post('/v1/oauth2/token', async (req, reply) => {
    if (req.headers.authorization !== expected) return reply.code(401).send({ error: 'invalid_client', error_description: 'Client Authentication failed' });
    const body = (req.body ?? {}) as Record<string, unknown>;
    if (body.grant_type !== 'client_credentials') return reply.code(400).send({ error: 'unsupported_grant_type', error_description: 'Grant Type is NULL or not supported' });
    const token = `A21AA${ctx.random.token(60)}`;
    ctx.state.tokens.set(token, ctx.now().getTime() + TOKEN_TTL_S * 1000);
    return { scope: 'https://uri.paypal.com/services/payments/payment https://uri.paypal.com/services/payments/refund', access_token: token, token_type: 'Bearer', app_id: `APP-${ctx.random.token(17).toUpperCase()}`, expires_in: TOKEN_TTL_S, nonce: `${ctx.now().toISOString()}${ctx.random.token(20)}` };
  });
  app.addHook('preHandler', (req, reply, done) => {
    if (req.url.startsWith('/__sim/') || req.url.startsWith('/v1/oauth2/')) return done();
    const header = req.headers.authorization;
    const token = typeof header === 'string' && header.startsWith('Bearer ') ? header.slice(7) : undefined;
    const expiry = token ? ctx.state.tokens.get(token) : undefined;
    if (expiry === undefined || expiry < ctx.now().getTime()) send(reply, ctx.errors.unauthorized());
    else done();
  });
}

/**
 * PayPal's negative testing: `PayPal-Mock-Response: {"mock_application_codes": "INSTRUMENT_DECLINED"}`
 * makes the call fail with that issue and do nothing else, as the sandbox does.
 */
export function registerMockResponse(app: FastifyInstance, ctx: PaypalContext): void {
  app.addHook('preHandler', (req, reply, done) => {
    const header = req.headers['paypal-mock-response'];
    if (typeof header !== 'string' || req.url.startsWith('/__sim/')) return done();
    let code: unknown;
    try {
      code = (JSON.parse(header) as { mock_application_codes?: unknown }).mock_application_codes;
    } catch {
      code = undefined;
    }
    if (typeof code !== 'string' || code === '') send(reply, ctx.errors.issue('INVALID_PARAMETER_VALUE', { field: 'PayPal-Mock-Response', description: 'expected {"mock_application_codes": "<ISSUE>"}' }));
    else send(reply, ctx.errors.issue(code));
  });
}
