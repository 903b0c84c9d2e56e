import type { ErrorResponse } from '../core/index.js';
import { validation } from './errors.js';

/**
 * Apple Pay and Google Pay through Adyen (docs.adyen.com/payment-methods/apple-pay/api-only,
 * …/google-pay/api-only): `paymentMethod.type` `applepay` with `applePayToken` (the Apple Pay
 * payment token, base64) or `googlepay` with `googlePayToken` (Google's payment data token, a
 * JSON string). Either pays with a network token through the card schemes: no shopper step, an
 * Authorised answer whose `paymentMethod` keeps the wallet type and names the card brand as the
 * wallet variant (`visa_applepay`, `mc_googlepay`).
 *
 * The token is checked for the shape its wallet gives it — Apple's `{version, data, signature,
 * header}` (EC_v1 / RSA_v1), Google's `{protocolVersion, signature, signedMessage}` (ECv1 / ECv2)
 * — not decrypted: the simulator has no merchant certificate. A token's `paychaosCard` field
 * (optional, test-only) picks the card brand: `mc` for Mastercard, else Visa.
 */
export const NETWORK_TOKEN_WALLETS: ReadonlySet<string> = new Set(['applepay', 'googlepay']);

export function checkWalletToken(pm: Record<string, unknown>): ErrorResponse | undefined {
  if (pm.type === 'applepay') {
    const token = pm.applePayToken;
    if (typeof token !== 'string' || token === '') return validation('702', "Required field 'paymentMethod.applePayToken' is not provided.");
    const parsed = json(Buffer.from(token, 'base64').toString('utf8'));
    if (!parsed || (parsed.version !== 'EC_v1' && parsed.version !== 'RSA_v1') || typeof parsed.data !== 'string' || typeof parsed.signature !== 'string' || typeof parsed.header !== 'object') {
      return validation('702', 'Invalid applePayToken: expected the base64 Apple Pay payment data {version: EC_v1, data, signature, header}');
    }
    return undefined;
  }
  const token = pm.googlePayToken;
  if (typeof token !== 'string' || token === '') return validation('702', "Required field 'paymentMethod.googlePayToken' is not provided.");
  const parsed = json(token);
  if (!parsed || (parsed.protocolVersion !== 'ECv1' && parsed.protocolVersion !== 'ECv2') || typeof parsed.signature !== 'string' || typeof parsed.signedMessage !== 'string') {
    return validation('702', 'Invalid googlePayToken: expected Google Pay payment data {protocolVersion: ECv2, signature, signedMessage}');
  }
  return undefined;
}

/** The brand variant Adyen reports for the wallet payment: `visa_applepay`, `mc_googlepay`, … */
export function walletBrand(pm: Record<string, unknown>): string {
  const raw = pm.type === 'applepay' ? Buffer.from(String(pm.applePayToken), 'base64').toString('utf8') : String(pm.googlePayToken);
  const card = json(raw)?.paychaosCard === 'mc' ? 'mc' : 'visa';
  return `${card}_${String(pm.type)}`;
}

function json(text: string): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(text);
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
