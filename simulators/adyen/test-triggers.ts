/**
 * How Adyen's test environment picks an outcome (PROVIDERS.md "Test triggers"): the card holder
 * name, or `additionalData.RequestedTestAcquirerResponseCode`, selects a refusal; a few card
 * numbers ask for 3-D Secure. Everything else that passes the checks is authorised.
 *
 * Our reading of `RequestedTestAcquirerResponseCode`: its value is taken as the refusalReasonCode
 * to answer with (Adyen's own table of acquirer responses is not public in full).
 */
export type Trigger = { kind: 'authorise' } | { kind: 'refuse'; code: string } | { kind: 'error' } | { kind: 'three_ds' };

const HOLDER_NAMES: Readonly<Record<string, string>> = Object.freeze({
  DECLINED: '2',
  REFUSED: '2',
  REFERRAL: '3',
  ACQUIRER_ERROR: '4',
  BLOCK_CARD: '5',
  CARD_EXPIRED: '6',
  INVALID_AMOUNT: '7',
  INVALID_CARD: '8',
  ISSUER_UNAVAILABLE: '9',
  NOT_SUPPORTED: '10',
  NOT_3D_AUTHENTICATED: '11',
  NOT_ENOUGH_BALANCE: '12',
  ACQUIRER_FRAUD: '14',
  CANCELLED: '15',
  SHOPPER_CANCELLED: '16',
  PIN_INVALID: '17',
  PIN_TRIES_EXCEEDED: '18',
  PIN_VALIDATION_NOT_POSSIBLE: '19',
  FRAUD: '20',
  NOT_SUBMITTED: '21',
  FRAUD_CANCELLED: '22',
  TRANSACTION_NOT_PERMITTED: '23',
  CVC_DECLINED: '24',
  RESTRICTED_CARD: '25',
  REVOCATION_OF_AUTH: '26',
  DECLINED_NON_GENERIC: '27',
  WITHDRAWAL_AMOUNT_EXCEEDED: '28',
  WITHDRAWAL_COUNT_EXCEEDED: '29',
  ISSUER_SUSPECTED_FRAUD: '31',
  AVS_DECLINED: '32',
  AUTHENTICATION_REQUIRED: '38',
});

/** Test cards that require 3-D Secure (answered with a redirect to the simulated issuer page). */
export const THREE_DS_CARDS: ReadonlySet<string> = new Set(['4212345678901237', '4917610000000000', '5454545454545454']);

export function triggerOf(card: { number: string; holderName: string | undefined }, additionalData: Record<string, unknown> | undefined): Trigger {
  const requested = additionalData?.RequestedTestAcquirerResponseCode;
  if (requested !== undefined && String(requested) !== '0') return { kind: 'refuse', code: String(requested) };
  const holder = card.holderName?.trim().toUpperCase().replace(/[ -]/g, '_');
  if (holder === 'ERROR') return { kind: 'error' };
  if (holder && HOLDER_NAMES[holder]) return { kind: 'refuse', code: HOLDER_NAMES[holder] };
  if (THREE_DS_CARDS.has(card.number)) return { kind: 'three_ds' };
  return { kind: 'authorise' };
}

/** Luhn check: Adyen refuses a mistyped number before it reaches a scheme. */
export function luhnValid(number: string): boolean {
  if (!/^\d{12,19}$/.test(number)) return false;
  let sum = 0;
  for (let i = 0; i < number.length; i++) {
    let d = Number(number[number.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/** Card brand as Adyen names it in `paymentMethod.brand`, from the number's prefix. */
export function brandOf(number: string): string {
  if (/^4/.test(number)) return 'visa';
  if (/^(5[1-5]|2[2-7])/.test(number)) return 'mc';
  if (/^3[47]/.test(number)) return 'amex';
  return 'card';
}
