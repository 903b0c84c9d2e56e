import { z } from 'zod';
import { duration } from '../fault-step.js';
import { clientStep, share } from './client-step.js';

/** Shoppers click "pay" several times at once: concurrent submits under one idempotency key. */
export const doubleClick = clientStep(
  'double-click',
  'a share of shoppers fire `clicks` concurrent submits (same key) within `spread`',
  z.strictObject({ share, clicks: z.number().int().min(2, 'clicks must be 2 or more').max(20, 'clicks must be 20 or fewer').optional(), spread: duration.optional() }),
  (p) => ({
    shares: { double_click: p.share },
    ...(p.clicks !== undefined || p.spread !== undefined
      ? { doubleClick: { ...(p.clicks !== undefined ? { minClicks: p.clicks, maxClicks: p.clicks } : {}), ...(p.spread !== undefined ? { spreadMs: p.spread } : {}) } }
      : {}),
  }),
);
