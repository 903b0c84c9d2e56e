import { z } from 'zod';
import { durationSchema } from '../../kernel/index.js';

/**
 * Field types shared by the scenario sections. Durations are k6's (`"30s"`, `"1m30s"`, `"250ms"`;
 * a bare number is seconds), read into milliseconds, so a scenario reads like a k6 script's
 * options and a k6 user has nothing new to learn.
 */
export const durationMs = durationSchema;

export const positiveDurationMs = durationMs.refine((ms) => ms > 0, 'expected a duration longer than 0');

/** A share of traffic in (0, 1). */
export const share = z.number().gt(0, 'expected a share above 0').lt(1, 'expected a share below 1');

export const providerName = z.string().regex(/^[a-z0-9:_-]{1,64}$/, 'expected a provider name such as stripe, alipay or wiremock:localwallet');
