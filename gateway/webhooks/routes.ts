import type { IncomingHttpHeaders } from 'node:http';
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { isPaychaosError, paychaosError, type ErrorCode } from '../../src/kernel/index.js';
import { ackFor } from './ack.js';
import type { WebhookEvent } from './event.js';
import { verifierFor, WEBHOOK_PROVIDERS } from './verify.js';

/**
 * `POST /webhooks/:provider` as a Fastify plugin (register it without fastify-plugin: its raw-body
 * parser must stay inside it):
 *
 *   raw bytes ─▶ credentialsOf(provider)? ── none ─▶ 404 WEBHOOK_UNKNOWN_PROVIDER
 *                └▶ verify (signature over the exact bytes) ── forged ─▶ 401 BAD_SIGNATURE
 *                                                         ── malformed ─▶ 400 MALFORMED
 *                └▶ onEvent(each event) ── throws ─▶ 500 (the provider retries; the inbox de-duplicates)
 *                └▶ the provider's ack (ackFor)
 *
 * Signatures are over the bytes as sent, so the body is never parsed before verification: a
 * catch-all content-type parser keeps the raw Buffer (JSON for Stripe, Adyen, WeChat Pay and
 * PayPal; a form for Alipay).
 */
export interface WebhookRoutesOptions {
  /** The provider's credentials from the gateway config (the same connection objects as its client), or undefined when not configured. */
  credentialsOf(provider: string): Readonly<Record<string, unknown>> | undefined;
  /** Called once per verified event, in order; the answer waits for it (a throw makes the provider retry). */
  onEvent(event: WebhookEvent): void | Promise<void>;
  /** Wall-clock ms for timestamp tolerances (tests). */
  now?: () => number;
  /** Largest notification body taken, bytes (default 1 MiB). */
  bodyLimit?: number;
  /** The ignoreWebhookSignature regression: forged notifications are accepted (VerifyOptions.ignoreSignature). */
  ignoreSignature?: boolean;
  /**
   * Runs around the handling of each notification: the server wraps it in a span continuing the
   * trace its `traceparent` names (the payment's, as the simulators send it).
   */
  around?(provider: string, headers: IncomingHttpHeaders, handle: () => Promise<FastifyReply>): Promise<FastifyReply>;
}

export function webhookRoutes(options: WebhookRoutesOptions): FastifyPluginAsync {
  return async (app: FastifyInstance) => {
    app.removeAllContentTypeParsers();
    app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: options.bodyLimit ?? 1_048_576 }, (_req, body, done) => done(null, body));

    app.post<{ Params: { provider: string } }>('/webhooks/:provider', (req, reply) => {
      const handle = (): Promise<FastifyReply> => handleNotification(req, reply);
      return options.around ? options.around(req.params.provider, req.headers, handle) : handle();
    });

    async function handleNotification(req: FastifyRequest<{ Params: { provider: string } }>, reply: FastifyReply): Promise<FastifyReply> {
      const { provider } = req.params;
      const verify = verifierFor(provider);
      const credentials = verify ? options.credentialsOf(provider) : undefined;
      if (!verify || credentials === undefined) {
        return refuse(reply, 'PAYCHAOS_ERR_GATEWAY_WEBHOOK_UNKNOWN_PROVIDER', `no notifications are taken for provider "${provider}" (configured: ${WEBHOOK_PROVIDERS.filter((p) => options.credentialsOf(p) !== undefined).join(', ') || 'none'})`);
      }
      const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      let result;
      try {
        result = verify(req.headers, raw, credentials, { ...(options.now ? { now: options.now } : {}), ...(options.ignoreSignature ? { ignoreSignature: true } : {}) });
      } catch (err) {
        // The gateway's own config cannot verify (a key missing or malformed): not the sender's fault; 500 so it retries after the fix.
        req.log.error({ err, provider }, 'webhook credentials unusable');
        const body = isPaychaosError(err) ? err.toJSON() : { code: 'PAYCHAOS_ERR_GATEWAY_BAD_CREDENTIALS', message: (err as Error).message };
        return reply.code(500).send({ error: body });
      }
      if (!result.ok) {
        req.log.warn({ provider, code: result.code, reason: result.reason }, 'webhook refused');
        return refuse(reply, result.code, `${provider}: ${result.reason}`);
      }
      try {
        for (const event of result.events) await options.onEvent(event);
      } catch (err) {
        // Not acknowledged: the provider retries on its ladder, and the inbox de-duplicates what was already recorded.
        req.log.error({ err, provider }, 'webhook event not recorded');
        return reply.code(500).send({ error: { message: `${provider} notification verified but not recorded; it will be retried` } });
      }
      const ack = ackFor(provider);
      return reply.code(ack.status).type(ack.contentType).send(ack.body);
    }
  };
}

function refuse(reply: FastifyReply, code: ErrorCode, message: string): FastifyReply {
  const err = paychaosError(code, message);
  return reply.code(err.status ?? 400).send({ error: { code: err.code, message: err.message, hint: err.hint } });
}
