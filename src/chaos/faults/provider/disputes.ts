import { z } from 'zod';
import { fraction } from '../fault-step.js';
import { providerStep } from './provider-step.js';

/**
 * Shoppers' banks dispute payments: a share of the payments captured while the step is on is
 * disputed right after its capture, and the money taken back at once (a chargeback), with the
 * provider's own notifications (Stripe charge.dispute.*, Adyen NOTIFICATION_OF_CHARGEBACK /
 * CHARGEBACK / CHARGEBACK_REVERSED, PayPal CUSTOMER.DISPUTE.*). The network decides `outcome`:
 * `lost` (the chargeback stands), `won` (reinstated), or `open` (waits for the merchant). Only
 * the gateway's books can then tell whether the merchant knows: `disputes-booked` and
 * `reconciliation-clean` judge them.
 */
export const disputes = providerStep(
  'disputes',
  'a share `rate` of payments captured meanwhile is disputed by the shopper\'s bank (`reason`), and the dispute `won`, `lost` or left `open`',
  z.strictObject({
    rate: fraction,
    reason: z.string().min(1).max(64).optional(),
    outcome: z.enum(['lost', 'won', 'open']).optional(),
  }),
  (p) => ({ disputes: { rate: p.rate, ...(p.reason !== undefined ? { reason: p.reason } : {}), ...(p.outcome !== undefined ? { outcome: p.outcome } : {}) } }),
);
