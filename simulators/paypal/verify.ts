import type { KeyObject } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { verifyPaypalSignature } from './webhooks.js';

/**
 * How merchants check a PayPal webhook: `POST /v1/notifications/verify-webhook-signature` with
 * the transmission headers, the webhook id and the event, answered `{verification_status}`. Or
 * locally, as PayPal also documents: download the X.509 certificate at PAYPAL-CERT-URL
 * (`/__sim/paypal/cert.pem`, no token needed) and verify the signature with its public key.
 */
export function registerVerify(app: FastifyInstance, o: { publicKey: KeyObject; certificatePem: string; webhookId: string }): void {
  app.post('/v1/notifications/verify-webhook-signature', async (req) => {
    const b = (req.body ?? {}) as Record<string, unknown>;
    const event = b.webhook_event;
    // The event is re-serialised: PayPal's own endpoint has the same limit, so send it unchanged.
    const body = typeof event === 'string' ? event : JSON.stringify(event);
    const headers = { 'paypal-transmission-id': str(b.transmission_id), 'paypal-transmission-time': str(b.transmission_time), 'paypal-transmission-sig': str(b.transmission_sig) };
    const ok = b.webhook_id === o.webhookId && b.auth_algo === 'SHA256withRSA' && verifyPaypalSignature(headers, body, o.webhookId, o.publicKey);
    return { verification_status: ok ? 'SUCCESS' : 'FAILURE' };
  });
  app.get('/__sim/paypal/cert.pem', async (_req, reply) => reply.header('content-type', 'application/x-pem-file').send(o.certificatePem));
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
