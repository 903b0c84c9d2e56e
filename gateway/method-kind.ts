import { isKnownProvider, providerDescriptor, type PaymentMethodKind } from '../src/conventions/index.js';

/**
 * The `payment.method` label of a payment's points: what the shopper paid with, not only which
 * provider took it — an iDEAL payment through Stripe is a bank redirect, an Apple Pay one a
 * network-token card (`wallet_card`), so a dashboard split by method shows each channel. The
 * payment-method ids are the gateway's API (the clients map the same ids: clients/stripe.ts
 * `redirectMethodOf`, clients/adyen.ts); any other id is the provider's own method (its
 * descriptor, src/conventions/providers), so a new provider needs no rule here. Values stay
 * bounded: four kinds and `unknown`.
 */
export function methodKindOf(provider: string, paymentMethod?: string): PaymentMethodKind | 'unknown' {
  if (!isKnownProvider(provider)) return 'unknown';
  const descriptor = providerDescriptor(provider);
  const kind = paymentMethod === undefined ? undefined : kindOfId(paymentMethod);
  // Only a kind the provider offers: an id another provider's channel uses does not invent one here.
  return kind !== undefined && (kind === descriptor.method || descriptor.otherMethods?.includes(kind)) ? kind : descriptor.method;
}

function kindOfId(paymentMethod: string): PaymentMethodKind | undefined {
  if (paymentMethod.endsWith('_applePay') || paymentMethod.endsWith('_googlePay')) return 'wallet_card';
  if (paymentMethod === 'pm_ideal') return 'bank_redirect';
  if (paymentMethod === 'pm_grabpay') return 'wallet';
  return undefined;
}
