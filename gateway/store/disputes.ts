import type { GroupCommit } from './group-commit.js';
import type { Db } from './open.js';

/**
 * A payment's disputes, as the providers' notifications tell them. The state only moves forward:
 * `open` → `won` | `lost`, and a closed dispute stays as it closed (a late copy of an older
 * notification changes nothing), so notifications can arrive in any order. The money is not
 * here but in the journal (ledger.ts `chargeback`, `chargeback_reversal`).
 */
export type DisputeStatus = 'open' | 'won' | 'lost';

export interface DisputeRecord {
  readonly provider: string;
  readonly disputeId: string;
  readonly paymentId: string;
  readonly status: DisputeStatus;
  /** Minor units disputed. */
  readonly amount: number;
  readonly currency: string;
  readonly reason?: string;
  readonly openedAt: string;
  readonly updatedAt: string;
}

interface Row {
  provider: string;
  dispute_id: string;
  payment_id: string;
  status: DisputeStatus;
  amount: number;
  currency: string;
  reason: string | null;
  opened_at: number;
  updated_at: number;
}

export class Disputes {
  readonly #upsert;
  readonly #forPayment;
  readonly #group: GroupCommit;

  constructor(db: Db, group: GroupCommit) {
    this.#group = group;
    // A closed dispute keeps its status; an open one takes the newer status. Amount and reason fill in when first known.
    this.#upsert = db.prepare(
      `INSERT INTO disputes (provider, dispute_id, payment_id, status, amount, currency, reason, opened_at, updated_at) VALUES (@provider, @disputeId, @paymentId, @status, @amount, @currency, @reason, @now, @now)
       ON CONFLICT (provider, dispute_id) DO UPDATE SET
         status = CASE WHEN disputes.status = 'open' THEN excluded.status ELSE disputes.status END,
         amount = CASE WHEN disputes.amount = 0 THEN excluded.amount ELSE disputes.amount END,
         reason = coalesce(disputes.reason, excluded.reason),
         updated_at = excluded.updated_at`,
    );
    this.#forPayment = db.prepare<[string], Row>('SELECT * FROM disputes WHERE payment_id = ? ORDER BY opened_at, dispute_id');
  }

  /** Record what a notification says about a dispute (status only forward). */
  record(d: { provider: string; disputeId: string; paymentId: string; status: DisputeStatus; amount: number; currency: string; reason?: string | undefined }, now: number): void {
    this.#group.one(() => this.#upsert.run({ provider: d.provider, disputeId: d.disputeId, paymentId: d.paymentId, status: d.status, amount: d.amount, currency: d.currency, reason: d.reason ?? null, now }));
  }

  forPayment(paymentId: string): DisputeRecord[] {
    return this.#forPayment.all(paymentId).map((r) => ({
      provider: r.provider,
      disputeId: r.dispute_id,
      paymentId: r.payment_id,
      status: r.status,
      amount: r.amount,
      currency: r.currency,
      ...(r.reason !== null ? { reason: r.reason } : {}),
      openedAt: new Date(r.opened_at).toISOString(),
      updatedAt: new Date(r.updated_at).toISOString(),
    }));
  }
}
