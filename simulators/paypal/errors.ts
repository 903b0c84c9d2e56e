import type { ErrorResponse, ProviderErrorShape } from '../core/index.js';
import type { Random } from '../../src/kernel/index.js';
import { PAYPAL_ISSUES } from './codes.js';

/**
 * PayPal's error body: `{name, message, debug_id, details:[{field?, location?, issue,
 * description}], links:[information_link]}`, with the debug id also in `PayPal-Debug-Id`.
 */
export class PaypalErrors {
  readonly #random: Random;

  constructor(random: Random) {
    this.#random = random;
  }

  debugId(): string {
    return this.#random.token(13);
  }

  issue(issue: string, extra: { field?: string; description?: string } = {}): ErrorResponse {
    const known = PAYPAL_ISSUES[issue] ?? { status: 422, name: 'UNPROCESSABLE_ENTITY', description: issue };
    const debugId = this.debugId();
    const message = known.status === 422 ? 'The requested action could not be performed, semantically incorrect, or failed business validation.' : known.status === 400 ? 'Request is not well-formed, syntactically incorrect, or violates schema.' : known.description;
    return {
      status: known.status,
      headers: { 'paypal-debug-id': debugId },
      body: {
        name: known.name,
        message,
        debug_id: debugId,
        details: [{ ...(extra.field ? { field: extra.field, location: 'body' } : {}), issue, description: extra.description ?? known.description }],
        links: [{ href: `https://developer.paypal.com/api/rest/reference/orders/v2/errors/#${issue}`, rel: 'information_link', method: 'GET' }],
      },
    };
  }

  /** OAuth failures use the OAuth shape, not the REST one. */
  unauthorized(): ErrorResponse {
    return { status: 401, body: { error: 'invalid_token', error_description: 'Token signature verification failed' } };
  }

  shape(): ProviderErrorShape {
    return {
      notFound: () => ({ status: 404, body: { name: 'RESOURCE_NOT_FOUND', message: 'The specified resource does not exist.', debug_id: this.debugId(), details: [] } }),
      malformed: (_req, message) => this.issue('MALFORMED_REQUEST_JSON', { description: message }),
      internal: () => this.issue('INTERNAL_SERVER_ERROR'),
      serverError: (_req, status) => ({ ...this.issue(status === 503 ? 'SERVICE_UNAVAILABLE' : 'INTERNAL_SERVER_ERROR'), status }),
      unavailable: () => this.issue('SERVICE_UNAVAILABLE'),
      rateLimited: () => this.issue('RATE_LIMIT_REACHED'),
    };
  }
}
