export { NORMALISED_CODES, ATTR, isNormalisedCode } from './conventions.js';
export type { NormalisedCode, PaymentOutcome, RetryAdvice, Variant } from './conventions.js';
export { createLogger, redact } from './logger.js';
export { REDACTED, isSensitiveKey, luhnValid, redactString } from './redact.js';
export type { LoggerOptions, Logger } from './logger.js';
export { paymentInstruments, DURATION_BUCKETS_S } from './instruments.js';
export type { PaymentInstruments } from './instruments.js';
export { startOtelFromEnv } from './otel.js';
export type { OtelHandle } from './otel.js';
