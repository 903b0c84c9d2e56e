import { z } from 'zod';
import { paychaosError, validate } from '../../kernel/index.js';

/**
 * The gateway's books as it exports them (`GET /ledger` of the reference gateway,
 * docs/gateway.md "Ledger export"): one entry per journal entry, with the payment it belongs to.
 * A user's own gateway can produce the same JSON to be reconciled.
 */
const line = z.strictObject({ account: z.string().min(1), amount: z.number().int() });

export const bookEntrySchema = z.object({
  /** The gateway's payment id. */
  paymentId: z.string().min(1),
  /** The merchant's order id. */
  orderId: z.string().min(1),
  provider: z.string().min(1),
  /** The provider's payment id, as the provider answered (PaymentIntent, pspReference, trade_no …). */
  providerPaymentId: z.string().min(1).optional(),
  /** The reference the gateway sent the provider (out_trade_no, merchantReference …). */
  providerReference: z.string().min(1).optional(),
  paymentMethod: z.string().optional(),
  /**
   * capture, refund, chargeback, chargeback_reversal; transfer and transfer_reversal (a split's
   * part paid over to its receiver, `amount` being that part) — other kinds (split, payout) are
   * exported but not reconciled against settlements.
   */
  kind: z.string().min(1),
  /** The movement's own reference in the gateway's journal (the refund id). */
  reference: z.string(),
  /** Minor units, positive. */
  amount: z.number().int().nonnegative(),
  currency: z.string().regex(/^[A-Za-z]{3}$/, { error: 'expected an ISO 4217 code like EUR' }),
  /** The fee the gateway expects the provider to keep, minor units, when it models one. */
  fee: z.number().int().optional(),
  /** A split's or transfer's receiver: the provider's id of the account owed the sale. */
  destination: z.string().min(1).optional(),
  /** A split's commission: what the platform keeps of the sale, minor units. */
  commission: z.number().int().nonnegative().optional(),
  /** ISO-8601 time the gateway booked it. */
  bookedAt: z.string().refine((s) => !Number.isNaN(Date.parse(s)), { error: 'expected an ISO-8601 time' }),
  /** The journal lines (debits positive): they must sum to zero. */
  lines: z.array(line).optional(),
});

export type BookEntry = z.output<typeof bookEntrySchema>;

const exportSchema = z.object({ entries: z.array(bookEntrySchema) });

/** Validate an export; every problem at once, with its path (`entries[3].amount`). `source` names the input. */
export function parseBooks(input: unknown, source: string): readonly BookEntry[] {
  const result = validate(exportSchema, input);
  if (!result.ok) {
    throw paychaosError('PAYCHAOS_ERR_RECONCILE_BAD_BOOKS', `${source}: ${result.problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`, { source, field: result.problems[0]?.path, problems: result.problems });
  }
  return result.value.entries;
}
