import { paychaosError, registerRedaction } from '../../kernel/index.js';
import { ADYEN } from './adyen.js';
import { ALIPAY } from './alipay.js';
import type { ProviderDescriptor } from './descriptor.js';
import { LOCALWALLET } from './localwallet.js';
import { ECNY } from './ecny.js';
import { CRYPTOPAY } from './cryptopay.js';
import { PAYPAL } from './paypal.js';
import { STRIPE } from './stripe.js';
import { UNIONPAY } from './unionpay.js';
import { WECHATPAY } from './wechatpay.js';

export type { OrderNumbering, PaymentMethodKind, ProviderDescriptor, ProviderRedaction } from './descriptor.js';
export type { WalletWire } from './wallet-wire.js';

/**
 * Every provider paychaos knows, by name. Adding a provider adds its descriptor file and one
 * line here (simulators/README.md "Adding a provider").
 */
export const PROVIDERS: Readonly<Record<string, ProviderDescriptor>> = Object.freeze(
  Object.fromEntries([STRIPE, ADYEN, ALIPAY, WECHATPAY, PAYPAL, UNIONPAY, LOCALWALLET, ECNY, CRYPTOPAY].map((d) => [d.name, Object.freeze(d)])),
);

export const PROVIDER_NAMES: readonly string[] = Object.freeze(Object.keys(PROVIDERS));

// Every logger in a process that loads the conventions masks every provider's secrets.
for (const d of Object.values(PROVIDERS)) registerRedaction(d.redaction);

export function isKnownProvider(name: string): boolean {
  return Object.hasOwn(PROVIDERS, name);
}

/**
 * The descriptor of `name`; an unknown provider is PAYCHAOS_ERR_PROVIDER_UNKNOWN naming the known
 * ones. `where` says which input named it (`--mix`, `mix[2].provider`, `paychaos sim`).
 */
export function providerDescriptor(name: string, where = 'provider'): ProviderDescriptor {
  const d = PROVIDERS[name];
  if (d && Object.hasOwn(PROVIDERS, name)) return d;
  throw paychaosError('PAYCHAOS_ERR_PROVIDER_UNKNOWN', `${where}: provider "${name}" is unknown; known providers: ${PROVIDER_NAMES.join(', ')}`, { field: where, provider: name, known: PROVIDER_NAMES });
}

/** The providers whose shoppers approve on their phone (what `--shopper-approves` automates). */
export function providersWithShopperStep(): string[] {
  return PROVIDER_NAMES.filter((n) => PROVIDERS[n]!.shopperStep);
}

/** The providers whose simulator can be told to check an API key. */
export function providersWithApiKeyCheck(): string[] {
  return PROVIDER_NAMES.filter((n) => PROVIDERS[n]!.apiKeyCheck);
}

/** Whether `orderId` fits `provider`'s order numbering as it is (else the gateway must map it). */
export function fitsOrderNumbering(provider: string, orderId: string): boolean {
  return providerDescriptor(provider).orderNumbering.pattern.test(orderId);
}
