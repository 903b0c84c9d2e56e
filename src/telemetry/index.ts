export { NORMALISED_CODES, ATTR, isNormalisedCode } from './conventions.js';
export type { NormalisedCode, PaymentOutcome, RetryAdvice, Variant } from './conventions.js';
export { createLogger, redact } from './logger.js';
export type { LoggerOptions, Logger } from './logger.js';
