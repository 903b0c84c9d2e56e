import { z } from 'zod';
import { duration } from '../fault-step.js';
import { providerStep } from './provider-step.js';

/**
 * The provider takes longer to process each payment (after accepting it, before answering):
 * `fixed`, uniform between `min` and `max`, or log-normal around `median` (spread `sigma`,
 * capped at `max`) — the long tail real providers show.
 */
export const providerLatency = providerStep(
  'provider-latency',
  'processing latency: `fixed`, uniform `min`–`max`, or log-normal `median` (± `sigma`, capped at `max`)',
  z
    .strictObject({ fixed: duration.optional(), min: duration.optional(), max: duration.optional(), median: duration.optional(), sigma: z.number().positive().max(5).optional() })
    .superRefine((p, ctx) => {
      const forms = [p.fixed !== undefined, p.min !== undefined, p.median !== undefined].filter(Boolean).length;
      if (forms !== 1) ctx.addIssue({ code: 'custom', message: 'give exactly one of `fixed`, `min` with `max`, or `median`' });
      if (p.fixed !== undefined && (p.max !== undefined || p.sigma !== undefined)) ctx.addIssue({ code: 'custom', path: ['fixed'], message: '`fixed` takes no `max` or `sigma`' });
      if (p.min !== undefined && p.max === undefined) ctx.addIssue({ code: 'custom', path: ['max'], message: '`min` needs a `max`' });
      if (p.min !== undefined && p.max !== undefined && p.max < p.min) ctx.addIssue({ code: 'custom', path: ['max'], message: 'max must be >= min' });
      if (p.min !== undefined && p.sigma !== undefined) ctx.addIssue({ code: 'custom', path: ['sigma'], message: '`sigma` goes with `median`' });
    }),
  (p) => ({
    latency:
      p.fixed !== undefined
        ? { kind: 'fixed', value: p.fixed }
        : p.min !== undefined
          ? { kind: 'uniform', min: p.min, max: p.max }
          : { kind: 'lognormal', median: p.median, sigma: p.sigma ?? 0.5, ...(p.max !== undefined ? { max: p.max } : {}) },
  }),
);
