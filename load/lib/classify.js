// @ts-check
/**
 * Reading the gateway's answer: HTTP status + body text → outcome and normalised error code.
 * Both engines and `paychaos ingest k6` use these rules, so a response means the same thing
 * whoever saw it. The reference gateway's contract (gateway/server.ts):
 *   201 / 200  payment body {status, errorCode?, providerCode?, provider}   (200 = a replay)
 *   202        same body, status pending: a wallet payment still waiting for the shopper
 *   402        decline, same body
 *   409        a request with this key (or for this order) is still in flight; for a refund or
 *              cancel, with another code than *_IN_FLIGHT: refused, nothing sent (not captured,
 *              already refunded, captured so not cancellable)
 *   422        key reused with other parameters;   400  malformed request
 *   502 / 503 / 504  provider error / unavailable / outcome unknown (body when it has one)
 */

/** The normalised codes (DESIGN.md); test/unit/traffic keeps this list equal to src/telemetry. */
export const NORMALISED_CODES = [
  'card_declined', 'insufficient_funds', 'expired_card', 'incorrect_cvc', 'invalid_payment_data', 'fraud_suspected',
  'limit_exceeded', 'authentication_required', 'authentication_failed', 'issuer_unavailable', 'order_closed',
  'duplicate_transaction', 'invalid_request', 'rate_limited', 'provider_unavailable', 'provider_error',
  'outcome_unknown', 'network_error', 'unknown',
];

/** @typedef {'succeeded' | 'failed' | 'pending'} Outcome */

/**
 * @typedef {object} Classification
 * @property {Outcome} outcome
 * @property {string} [errorCode]  normalised; absent on success
 * @property {string} [providerCode]  the provider's own code, or the gateway's error code
 * @property {string} [provider]  as reported by the gateway
 * @property {string} [providerPaymentId]  the provider's id of the payment, as the gateway reported it
 * @property {string} [providerReference]  the merchant order number the gateway sent the provider
 * @property {string} [failoverFrom]  the provider the gateway switched away from to answer (its failover)
 * @property {string} [failoverReason]  why it switched (circuit_open, connection_refused …)
 * @property {string} [nextActionUrl]  a payment waiting for its shopper's 3-D Secure challenge: the page (nextAction.url)
 * @property {number} status  HTTP status, 0 when no answer came
 */

/**
 * @param {number} status
 * @param {string} bodyText
 * @returns {Classification}
 */
export function classifyResponse(status, bodyText) {
  if (status === 0) return { outcome: 'pending', errorCode: 'outcome_unknown', status };
  const body = parseObject(bodyText);
  const paymentStatus = body && body.status;
  if (paymentStatus === 'succeeded' || paymentStatus === 'failed' || paymentStatus === 'pending') {
    /** @type {Classification} */
    const c = { outcome: paymentStatus, status };
    // A pending answer without a code (an authorisation held for capture, a redirect awaiting its
    // webhook) is an outcome not known yet, as src/load/api-shape.ts reads a user's API too.
    if (paymentStatus !== 'succeeded') c.errorCode = normalise(body && body.errorCode) || fromStatus(status).errorCode || (paymentStatus === 'pending' ? 'outcome_unknown' : 'unknown');
    if (body && typeof body.providerCode === 'string') c.providerCode = body.providerCode;
    if (body && typeof body.provider === 'string') c.provider = body.provider;
    // What lets ground truth join a provider's ledger to this order without knowing how the
    // gateway numbers orders at that provider (src/run/orders-placed.ts).
    if (body && typeof body.providerPaymentId === 'string') c.providerPaymentId = body.providerPaymentId;
    if (body && typeof body.providerReference === 'string') c.providerReference = body.providerReference;
    // A payment the gateway failed over: where the failover drill's figures come from.
    if (body && typeof body.failoverFrom === 'string') c.failoverFrom = body.failoverFrom;
    if (body && typeof body.failoverReason === 'string') c.failoverReason = body.failoverReason;
    // A 3-D Secure challenge: where the shopper goes next (a three_ds_* journey's `challenge` step).
    const next = body && typeof body.nextAction === 'object' && body.nextAction !== null ? /** @type {Record<string, unknown>} */ (body.nextAction) : undefined;
    if (next && typeof next.url === 'string' && next.url !== '') c.nextActionUrl = next.url;
    return c;
  }
  const c = fromStatus(status);
  const error = body && typeof body.error === 'object' && body.error !== null ? /** @type {Record<string, unknown>} */ (body.error) : undefined;
  const code = error && typeof error.code === 'string' ? error.code : undefined;
  if (code !== undefined) {
    // A server that answers {error:{code}} with a normalised code has told us the reason;
    // the gateway's own PAYCHAOS_ERR_* codes are kept as the provider code instead.
    const normalised = normalise(code);
    if (normalised && c.outcome !== 'succeeded') c.errorCode = normalised;
    else c.providerCode = code;
    // A refusal, not a request in flight: the outcome is known — nothing happened.
    if (status === 409 && !normalised && !/IN_FLIGHT$/.test(code)) {
      c.outcome = 'failed';
      c.errorCode = 'invalid_request';
    }
  }
  return c;
}

/**
 * The 3-D Secure page's answer to a shopper's `challenge` visit (not followed): a redirect to the
 * merchant's return URL whose `redirect_status` says how it went (Stripe's), or — with no return
 * URL — the payment as JSON. 4xx: the page refused (nothing to authenticate); 5xx or no answer:
 * unknown, the payment may or may not go ahead.
 * @param {number} status
 * @param {string | undefined} location  the Location header
 * @param {string} bodyText
 * @returns {Classification}
 */
export function classifyChallenge(status, location, bodyText) {
  if (status === 0) return { outcome: 'pending', errorCode: 'outcome_unknown', status };
  if (status >= 300 && status < 400) {
    const m = /[?&]redirect_status=([^&#]*)/.exec(location || '');
    if (m && m[1] === 'succeeded') return { outcome: 'succeeded', status };
    if (m && m[1] === 'failed') return { outcome: 'failed', errorCode: 'authentication_failed', status };
    return { outcome: 'pending', errorCode: 'outcome_unknown', status };
  }
  if (status >= 200 && status < 300) {
    const body = parseObject(bodyText);
    const intent = body && typeof body.payment_intent === 'object' && body.payment_intent !== null ? /** @type {Record<string, unknown>} */ (body.payment_intent) : undefined;
    const s = intent && intent.status;
    if (s === 'succeeded' || s === 'requires_capture') return { outcome: 'succeeded', status };
    if (s === 'requires_payment_method' || s === 'canceled') return { outcome: 'failed', errorCode: 'authentication_failed', status };
    return { outcome: 'pending', errorCode: 'outcome_unknown', status };
  }
  if (status >= 400 && status < 500) return { outcome: 'failed', errorCode: 'invalid_request', status };
  return { outcome: 'pending', errorCode: 'provider_error', status };
}

/**
 * The status alone, for answers without a payment body — and for k6 output recorded by a
 * script that did not tag its outcome.
 * @param {number} status
 * @returns {Classification}
 */
export function classifyStatus(status) {
  return fromStatus(status);
}

/**
 * No HTTP answer at all. A timeout after sending leaves the charge unknown (pending: query
 * before retrying); a connection that never opened sent nothing, so the payment failed.
 * @param {'timeout' | 'connect'} kind
 * @returns {Classification}
 */
export function classifyNoResponse(kind) {
  return kind === 'connect' ? { outcome: 'failed', errorCode: 'network_error', status: 0 } : { outcome: 'pending', errorCode: 'outcome_unknown', status: 0 };
}

/**
 * True when the submit may or may not have charged: the case for "query, then retry the same key".
 * @param {Classification} c
 * @returns {boolean}
 */
export function isOutcomeUnknown(c) {
  return c.errorCode === 'outcome_unknown' || c.errorCode === 'network_error' || (c.outcome === 'pending' && c.errorCode !== 'duplicate_transaction');
}

/**
 * @param {number} status
 * @returns {Classification}
 */
function fromStatus(status) {
  if (status >= 200 && status < 300) return { outcome: 'succeeded', status };
  if (status === 402) return { outcome: 'failed', errorCode: 'card_declined', status };
  // In flight elsewhere: not a failure of the payment, whose outcome the first request will tell.
  if (status === 409) return { outcome: 'pending', errorCode: 'duplicate_transaction', status };
  if (status === 429) return { outcome: 'failed', errorCode: 'rate_limited', status };
  if (status === 503) return { outcome: 'failed', errorCode: 'provider_unavailable', status };
  if (status === 504) return { outcome: 'pending', errorCode: 'outcome_unknown', status };
  if (status >= 500) return { outcome: 'failed', errorCode: 'provider_error', status };
  if (status >= 400) return { outcome: 'failed', errorCode: 'invalid_request', status };
  return { outcome: 'failed', errorCode: 'unknown', status };
}

/**
 * @param {unknown} code
 * @returns {string | undefined}
 */
function normalise(code) {
  return typeof code === 'string' && NORMALISED_CODES.indexOf(code) >= 0 ? code : undefined;
}

/**
 * @param {string} text
 * @returns {Record<string, unknown> | undefined}
 */
function parseObject(text) {
  if (!text) return undefined;
  try {
    const v = JSON.parse(text);
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? v : undefined;
  } catch (e) {
    return undefined;
  }
}
