import type { WalletWire } from './wallet-wire.js';
/**
 * What paychaos knows about a payment provider, in one place: the CLI, the traffic mixes, the
 * stack and the logger's redaction read these instead of keeping lists of their own (issue #10
 * item 5). Facts come from each provider's public documentation (shared/PROVIDERS.md), never
 * from a simulator's code.
 */

/** How a shopper pays, as the traffic model tags it (`payment.method`). */
/**
 * `payment.method`: `card`; `wallet` (a wallet's own account: Alipay, WeChat Pay, PayPal, GrabPay);
 * `wallet_card` (a card through a phone wallet with a network token: Apple Pay, Google Pay);
 * `bank_redirect` (the shopper authorises at their bank: iDEAL).
 */
export type PaymentMethodKind = 'card' | 'wallet' | 'wallet_card' | 'bank_redirect';

/** How the merchant's order id must look to this provider (the gateway maps ids that do not fit). */
export interface OrderNumbering {
  /** The provider's field that carries the merchant's order number. */
  readonly field: string;
  /** A short name for the rule, for messages and docs. */
  readonly rule: string;
  /** What an order number must match, whole. */
  readonly pattern: RegExp;
}

/** What in this provider's payloads is secret, for the redacting logger. */
export interface ProviderRedaction {
  /**
   * Field names (in objects, form bodies, JSON text, header dumps) whose values are always
   * masked; matched like the kernel's own names: lower case, without `_ - . [ ]`, by suffix.
   */
  readonly secretKeys: readonly string[];
  /** Header names whose value runs to the end of the line in a header dump (signatures with commas). */
  readonly lineKeys?: readonly string[];
  /** Secret shapes found anywhere in text (keys and signature headers): regex sources, case-insensitive. */
  readonly shapes?: readonly string[];
  /**
   * Id fields that hold long digit runs which are not card numbers (Adyen's 16-digit
   * pspReference passes Luhn one time in ten): never masked as a PAN, whatever their digits.
   */
  readonly referenceKeys?: readonly string[];
}

export interface ProviderDescriptor {
  /** The name every part uses: `stripe`, `wiremock:localwallet` … */
  readonly name: string;
  readonly displayName: string;
  /** `native`: a simulator of ours; `wiremock`: stubs served by a real WireMock (Java). */
  readonly simulator: 'native' | 'wiremock';
  /** The payment method tag shoppers of this provider carry in the traffic model. */
  readonly method: PaymentMethodKind;
  /** The `payment.method` of the provider's other channels (iDEAL, Apple Pay … at an acquirer), beside `method`. */
  readonly otherMethods?: readonly PaymentMethodKind[];
  /** The payment method ids the traffic model sends for this provider (`pm_card_visa`, `pm_alipay`). */
  readonly paymentMethods: readonly string[];
  /** Whether a payment waits for the shopper (wallet approval on a phone) before it completes. */
  readonly shopperStep: boolean;
  /** Whether the simulator can be told to check an API key (`paychaos sim --api-key`). */
  readonly apiKeyCheck: boolean;
  readonly orderNumbering: OrderNumbering;
  /** A WireMock-described wallet: its paths, fields and states (wallet-wire.ts). */
  readonly wire?: WalletWire;
  readonly redaction: ProviderRedaction;
  /**
   * The money-lifecycle operations the reference gateway cannot ask of this provider, each with
   * why (absent: it refunds and cancels). A scenario whose shoppers would ask one of them is
   * refused (PAYCHAOS_ERR_LOAD_JOURNEY_UNSUPPORTED) rather than left to fail or skip in silence.
   */
  readonly lifecycleUnsupported?: { readonly refund?: string; readonly cancel?: string };
}
