import { z } from 'zod';
import { duration } from '../fault-step.js';
import { clientStep, share } from './client-step.js';

/** Shoppers leave before paying and come back `after` later: they query the order, then pay. */
export const abandonResume = clientStep(
  'abandon-resume',
  'a share of shoppers leave, come back `after` later, query the order and pay if it is not paid',
  z.strictObject({ share, after: duration.optional() }),
  (p) => ({ shares: { abandon_resume: p.share }, ...(p.after !== undefined ? { resumeAfter: { minMs: p.after, maxMs: p.after } } : {}) }),
);
