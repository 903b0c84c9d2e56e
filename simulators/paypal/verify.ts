import type { KeyObject } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { verifyPaypalSignature } from './webhooks.js';

/**
 * How merchants check a PayPal webhook: `POST /v1/notifications/verify-webhook-signature` with
 * the transmission headers, the webhook id and the event, answered `{verification_status}`. The
 * key is also served at the PAYPAL-CERT-URL (`/__sim/paypal/cert.pem`) as a PEM public key —
 * PayPal serves an X.509 certificate there; node:crypto cannot issue one, so local verifiers
 * must read a public key instead.
 */
export function registerVerify(app: FastifyInstance, o: { publicKey: KeyObject; webhookId: string }): void {
  app.post('/v1/notifications/verify-webhook-signature', async (req) => {
    const b = (req.body ?? {}) as Record<string, unknown>;
    const event = b.webhook_event;
    // The event is re-serialised: PayPal's own endpoint has the same limit, so send it unchanged.
    const body = typeof event === 'string' ? event : JSON.stringify(event);
    const headers = { 'paypal-transmission-id': str(b.transmission_id), 'paypal-transmission-time': str(b.transmission_time), 'paypal-transmission-sig': str(b.transmission_sig) };
    const ok = b.webhook_id === o.webhookId && b.auth_algo === 'SHA256withRSA' && verifyPaypalSignature(headers, body, o.webhookId, o.publicKey);
    return { verification_status: ok ? 'SUCCESS' : 'FAILURE' };
  });
  app.get('/__sim/paypal/cert.pem', async (_req, reply) => reply.header('content-type', 'application/x-pem-file').send(o.publicKey.export({ type: 'spki', format: 'pem' })));
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
