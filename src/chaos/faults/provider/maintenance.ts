import { z } from 'zod';
import { providerStep } from './provider-step.js';

/** A maintenance window: every request gets 503 for as long as the step lasts (its `for`). */
export const maintenance = providerStep(
  'maintenance',
  'a maintenance window: every request answered 503 while the step lasts',
  z.strictObject({}),
  () => ({ maintenance: { after: 0 } }),
);
