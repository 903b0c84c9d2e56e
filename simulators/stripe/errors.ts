import type { FastifyRequest } from 'fastify';
import type { ErrorResponse, ProviderErrorShape } from '../core/index.js';

export type StripeErrorType = 'api_error' | 'card_error' | 'idempotency_error' | 'invalid_request_error' | 'rate_limit_error';

/** A Stripe API error body: `{ error: { type, code?, decline_code?, message, param? } }`. */
export function stripeError(
  type: StripeErrorType,
  message: string,
  extra: { code?: string; decline_code?: string; param?: string; payment_intent?: unknown; doc_url?: string } = {},
): { error: Record<string, unknown> } {
  return { error: { type, message, ...extra } };
}

/** 400 invalid_request_error with a code and param: the commonest Stripe answer. */
export function invalidRequest(message: string, code: string, param?: string, status = 400): ErrorResponse {
  return { status, body: stripeError('invalid_request_error', message, { code, ...(param ? { param } : {}) }) };
}

export const stripeErrorShape: ProviderErrorShape = {
  notFound: (req: FastifyRequest) => ({
    status: 404,
    body: stripeError('invalid_request_error', `Unrecognized request URL (${req.method}: ${req.url.split('?')[0]}). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.`),
  }),
  malformed: (_req, message) => ({ status: 400, body: stripeError('invalid_request_error', `Invalid request: ${message}`) }),
  internal: () => ({ status: 500, body: stripeError('api_error', 'An unknown error occurred') }),
  serverError: (_req, status) => ({ status, body: stripeError('api_error', 'An unknown error occurred') }),
  unavailable: () => ({ status: 503, body: stripeError('api_error', 'Stripe is temporarily unavailable for scheduled maintenance. Please retry your request later.') }),
  rateLimited: () => ({
    status: 429,
    body: stripeError('rate_limit_error', 'Too many requests hit the API too quickly. We recommend an exponential backoff of your requests.', { code: 'rate_limit' }),
  }),
};
