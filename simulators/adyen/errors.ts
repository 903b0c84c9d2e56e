import type { FastifyRequest } from 'fastify';
import type { ErrorResponse, ProviderErrorShape } from '../core/index.js';

export type AdyenErrorType = 'validation' | 'security' | 'configuration' | 'internal';

/**
 * An Adyen API error: `{ status, errorCode, message, errorType }`. Transient failures carry the
 * `transient-error: true` header, which tells a client to retry with the same idempotency key.
 */
export function adyenError(status: number, errorCode: string, message: string, errorType: AdyenErrorType, transient = false): ErrorResponse {
  return {
    status,
    body: { status, errorCode, message, errorType },
    ...(transient ? { headers: { 'transient-error': 'true' } } : {}),
  };
}

export const validation = (errorCode: string, message: string, status = 422): ErrorResponse => adyenError(status, errorCode, message, 'validation');

export const adyenErrorShape: ProviderErrorShape = {
  notFound: (req: FastifyRequest) => adyenError(404, '000', `Not Found: ${req.method} ${req.url.split('?')[0]}`, 'validation'),
  malformed: (_req, message) => adyenError(400, '702', `Structure of request is invalid: ${message}`, 'validation'),
  internal: () => adyenError(500, '000', 'An unknown error occurred', 'internal', true),
  serverError: (_req, status) => adyenError(status, '000', 'An unknown error occurred', 'internal', true),
  unavailable: () => adyenError(503, '000', 'Service unavailable: scheduled maintenance', 'internal', true),
  rateLimited: () => adyenError(429, '000', 'Too many requests', 'validation', true),
};
