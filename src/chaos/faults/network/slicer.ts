import { z } from 'zod';
import { networkStep, toxicParams } from './network-step.js';

/** Chunks cut into pieces of about averageSize ± sizeVariation bytes, delayUs apart (Toxiproxy `slicer`). */
export const slicer = networkStep(
  'slicer',
  'cuts data into averageSize ± sizeVariation byte pieces, delayUs (µs) apart (toxic `slicer`)',
  z
    .strictObject({
      ...toxicParams,
      // average_size 0 makes Toxiproxy recurse until its whole process dies: refused here.
      averageSize: z.number().int().positive('averageSize must be more than 0 bytes'),
      sizeVariation: z.number().int().nonnegative().default(0),
      delayUs: z.number().int().nonnegative().default(0),
    })
    .refine((f) => f.sizeVariation <= f.averageSize, { message: 'sizeVariation must be at most averageSize (a larger one can crash Toxiproxy 2.12)', path: ['sizeVariation'] }),
);
