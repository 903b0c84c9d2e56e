import { describe, expect, it } from 'vitest';
import { ADYEN_ERROR_CODES, ADYEN_REFUSAL_REASONS, adyenHmac, adyenSigningString, normaliseAdyenCode, verifyAdyenHmac } from '../../../../simulators/adyen/index.js';
import { NORMALISED_CODES } from '../../../../src/conventions/index.js';

describe('Adyen code table', () => {
  it.each([
    ['2', 'card_declined'],
    ['6', 'expired_card'],
    ['9', 'issuer_unavailable'],
    ['11', 'authentication_failed'],
    ['12', 'insufficient_funds'],
    ['20', 'fraud_suspected'],
    ['24', 'incorrect_cvc'],
    ['28', 'limit_exceeded'],
    ['29', 'limit_exceeded'],
    ['38', 'authentication_required'],
  ])('maps refusalReasonCode %s to %s', (code, normalised) => {
    expect(normaliseAdyenCode({ resultCode: 'Refused', refusalReasonCode: code })).toBe(normalised);
  });

  it('maps every refusal reason and error code into the normalised set', () => {
    for (const { normalised } of Object.values(ADYEN_REFUSAL_REASONS)) expect(Object.keys(NORMALISED_CODES)).toContain(normalised);
    for (const normalised of Object.values(ADYEN_ERROR_CODES)) expect(Object.keys(NORMALISED_CODES)).toContain(normalised);
  });

  it.each([
    [{ status: 422, errorCode: '704' }, 'duplicate_transaction'],
    [{ status: 503, errorCode: '703' }, 'provider_unavailable'],
    [{ status: 429, errorCode: '000' }, 'rate_limited'],
    [{ status: 500, errorCode: '000' }, 'provider_error'],
    [{ status: 401, errorCode: '000' }, 'invalid_request'],
    [{ status: 403, errorCode: '010' }, 'invalid_request'],
    [{ status: 422, errorCode: '101' }, 'invalid_payment_data'],
    [{ resultCode: 'Error' }, 'provider_error'],
    [{ resultCode: 'Authorised' }, 'unknown'],
  ])('maps the API answer %j to %s', (answer, normalised) => {
    expect(normaliseAdyenCode(answer)).toBe(normalised);
  });
});

describe('Adyen notification HMAC', () => {
  const item = { pspReference: '7914073381342284', originalReference: undefined, merchantAccountCode: 'TestMerchant', merchantReference: 'TestPayment-1407325143704', amount: { value: 1130, currency: 'EUR' }, eventCode: 'AUTHORISATION', success: 'true' as const };
  const key = '44782DEF547AAA06C910C43932B1EB0C71FC68D9D0C057550C48EC2ACF6BA056';

  it('signs the documented field concatenation, with empty fields kept', () => {
    expect(adyenSigningString(item)).toBe('7914073381342284::TestMerchant:TestPayment-1407325143704:1130:EUR:AUTHORISATION:true');
  });

  it("reproduces Adyen's published worked example, byte for byte", () => {
    expect(adyenHmac(item, key)).toBe('coqCmt/IZ4E3CzPvMY8zTjQVL5hYJUiBRg8UU+iCWo0=');
  });

  it('verifies its own signature and rejects one over changed fields or with another key', () => {
    const sig = adyenHmac(item, key);
    expect(Buffer.from(sig, 'base64')).toHaveLength(32);
    expect(verifyAdyenHmac(item, sig, key)).toBe(true);
    expect(verifyAdyenHmac({ ...item, amount: { value: 1131, currency: 'EUR' } }, sig, key)).toBe(false);
    expect(verifyAdyenHmac(item, sig, key.replace('4', '5'))).toBe(false);
  });
});
