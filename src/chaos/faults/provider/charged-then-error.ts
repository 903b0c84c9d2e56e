import { z } from 'zod';
import { fraction, serverStatus } from '../fault-step.js';
import { providerStep } from './provider-step.js';

/**
 * "Charged, then 500": the provider commits the payment to its ledger but the caller gets an
 * error — the fault that tempts a retry with a new key into a double charge.
 */
export const chargedThenError = providerStep(
  'charged-then-error',
  'a share `rate` (default 1) of payments is committed, then answered `status` (default 500)',
  z.strictObject({ rate: fraction.default(1), status: serverStatus.default(500) }),
  (p) => ({ commitThenError: { rate: p.rate, status: p.status } }),
);
