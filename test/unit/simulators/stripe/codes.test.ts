import { describe, expect, it } from 'vitest';
import { STRIPE_CODE_TABLE, STRIPE_OUTCOMES, normaliseStripeCode, stripeSignatureHeader, verifyStripeSignature } from '../../../../simulators/stripe/index.js';
import { NORMALISED_CODES } from '../../../../src/conventions/index.js';

describe('Stripe code table', () => {
  it.each([
    ['card_declined', 'generic_decline', 'card_declined'],
    ['card_declined', 'do_not_honor', 'card_declined'],
    ['card_declined', 'insufficient_funds', 'insufficient_funds'],
    ['expired_card', 'expired_card', 'expired_card'],
    ['incorrect_cvc', 'incorrect_cvc', 'incorrect_cvc'],
    ['card_declined', 'fraudulent', 'fraud_suspected'],
    ['card_declined', 'lost_card', 'fraud_suspected'],
    ['card_declined', 'stolen_card', 'fraud_suspected'],
    ['card_declined', 'card_velocity_exceeded', 'limit_exceeded'],
    ['card_declined', 'authentication_required', 'authentication_required'],
    ['card_declined', 'issuer_not_available', 'issuer_unavailable'],
    ['card_declined', 'try_again_later', 'issuer_unavailable'],
    ['processing_error', 'processing_error', 'provider_error'],
    ['card_declined', 'duplicate_transaction', 'duplicate_transaction'],
    ['rate_limit', undefined, 'rate_limited'],
    ['idempotency_error', undefined, 'invalid_request'],
    ['idempotency_error', 'idempotency_key_in_use', 'duplicate_transaction'],
    ['payment_intent_authentication_failure', undefined, 'authentication_failed'],
    ['something_new', undefined, 'unknown'],
  ])('maps code %s / decline_code %s to %s', (code, declineCode, normalised) => {
    expect(normaliseStripeCode(code, declineCode)).toBe(normalised);
  });

  it('maps every code into the normalised set, and every outcome a profile may force', () => {
    for (const normalised of Object.values(STRIPE_CODE_TABLE)) expect(Object.keys(NORMALISED_CODES)).toContain(normalised);
    for (const [code, behaviour] of Object.entries(STRIPE_OUTCOMES)) {
      const mapped = behaviour.kind === 'decline' ? normaliseStripeCode(behaviour.code, behaviour.declineCode) : normaliseStripeCode(code);
      expect(mapped, code).not.toBe('unknown');
    }
  });
});

describe('Stripe-Signature', () => {
  it('signs t.payload with HMAC-SHA256 and verifies within the tolerance only', () => {
    const header = stripeSignatureHeader('{"id":"evt_1"}', 'whsec_x', 1_700_000_000);
    expect(header).toMatch(/^t=1700000000,v1=[0-9a-f]{64}$/);
    expect(verifyStripeSignature('{"id":"evt_1"}', header, 'whsec_x', 1_700_000_100)).toBe(true);
    expect(verifyStripeSignature('{"id":"evt_2"}', header, 'whsec_x', 1_700_000_100)).toBe(false);
    expect(verifyStripeSignature('{"id":"evt_1"}', header, 'whsec_y', 1_700_000_100)).toBe(false);
    expect(verifyStripeSignature('{"id":"evt_1"}', header, 'whsec_x', 1_700_000_301)).toBe(false);
  });
});
