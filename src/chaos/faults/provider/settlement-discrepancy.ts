import { z } from 'zod';
import { duration, fraction } from '../fault-step.js';
import { providerStep } from './provider-step.js';

const FIELDS = ['missingLine', 'duplicateLine', 'amountOff', 'feeOff', 'late'] as const;

/**
 * The settlement file disagrees with what the provider did: a line missing, listed twice, for the
 * wrong amount, or paid out late (absent from the file that closes the cycle). Real reports do
 * this — a batch re-sent, an adjustment booked on the wrong day — and only a reconciliation of
 * the merchant's books against the file catches it. Movements committed while the step is on are
 * affected (the simulator remembers the window), so the report read after the run still shows it.
 */
export const settlementDiscrepancy = providerStep(
  'settlement-discrepancy',
  'the settlement report misstates movements committed meanwhile: `missingLine`, `duplicateLine` (shares), `amountOff` {share, byMinor}, `feeOff` {share, byMinor}, `late` {share, by}',
  z
    .strictObject({
      missingLine: fraction.optional(),
      duplicateLine: fraction.optional(),
      amountOff: z.strictObject({ share: fraction, byMinor: z.number().int().refine((n) => n !== 0, { message: 'expected a whole number of minor units, not 0' }) }).optional(),
      feeOff: z.strictObject({ share: fraction, byMinor: z.number().int().refine((n) => n !== 0, { message: 'expected a whole number of minor units, not 0' }) }).optional(),
      late: z.strictObject({ share: fraction, by: duration.refine((ms) => ms > 0, { message: 'expected a duration above 0' }) }).optional(),
    })
    .refine((s) => FIELDS.some((f) => s[f] !== undefined), { message: `give at least one of ${FIELDS.join(', ')}` }),
  (p) => ({
    settlement: {
      ...(p.missingLine !== undefined ? { missingLine: p.missingLine } : {}),
      ...(p.duplicateLine !== undefined ? { duplicateLine: p.duplicateLine } : {}),
      ...(p.amountOff !== undefined ? { amountOff: p.amountOff } : {}),
      ...(p.feeOff !== undefined ? { feeOff: p.feeOff } : {}),
      ...(p.late !== undefined ? { late: p.late } : {}),
    },
  }),
);
