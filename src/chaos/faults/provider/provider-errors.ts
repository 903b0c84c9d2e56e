import { z } from 'zod';
import { fraction, serverStatus } from '../fault-step.js';
import { providerStep } from './provider-step.js';

/** A 5xx burst: while the step lasts, a share `rate` of requests fail before anything is committed. */
export const providerErrors = providerStep(
  'provider-errors',
  'a 5xx burst: a share `rate` (default 1) of requests answered `status` (default 500), nothing committed',
  z.strictObject({ rate: fraction.default(1), status: serverStatus.default(500) }),
  (p) => ({ serverErrors: { rate: p.rate, status: p.status } }),
);
