/**
 * The conventions every part speaks (DESIGN.md "Telemetry conventions"): the normalised error
 * codes with their retry advice, payment outcomes and variants, the attribute keys on spans and
 * metric points, the OpenTelemetry instruments with their names, units and buckets, and one
 * descriptor per provider (providers/: payment methods, shopper step, order numbering, what in its
 * payloads is secret — loading it registers every descriptor's redaction with the kernel's
 * logger). Like the kernel, it imports nothing of the harness, the simulators or the gateway.
 */
export { NORMALISED_CODES, ATTR, isNormalisedCode } from './codes.js';
export type { NormalisedCode, PaymentOutcome, RetryAdvice, Variant } from './codes.js';
export { paymentInstruments, resilienceInstruments, BREAKER_STATE_VALUE, DURATION_BUCKETS_S } from './instruments.js';
export type { PaymentInstruments } from './instruments.js';
export { PROVIDERS, PROVIDER_NAMES, isKnownProvider, providerDescriptor, providersWithShopperStep, providersWithApiKeyCheck, fitsOrderNumbering } from './providers/index.js';
export type { OrderNumbering, PaymentMethodKind, ProviderDescriptor, ProviderRedaction, WalletWire } from './providers/index.js';
