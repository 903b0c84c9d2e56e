import { z } from 'zod';
import { networkStep, toxicParams } from './network-step.js';

/** A weak 2G/3G link: at most `rateKBps` KB (1000 bytes) a second (Toxiproxy `bandwidth`). */
export const bandwidth = networkStep(
  'bandwidth',
  'limits throughput to rateKBps (KB = 1000 bytes) — weak 2G/3G links (toxic `bandwidth`)',
  // Toxiproxy's rate 0 is not "unlimited": nothing ever passes. Refused here, as the embedded proxy does.
  z.strictObject({ ...toxicParams, rateKBps: z.number().int().positive('rateKBps must be more than 0 (0 would stop all data)') }),
);
