import { z } from 'zod';
import { networkStep, toxicParams } from './network-step.js';

/** A response cut mid-body: each connection passes `bytes` bytes per direction, then closes. */
export const limitData = networkStep(
  'limit_data',
  'closes each connection after `bytes` bytes in that direction — a body cut short (toxic `limit_data`)',
  z.strictObject({ ...toxicParams, bytes: z.number().int().nonnegative('bytes must be 0 or more') }),
);
