import type { NormalisedCode, PaymentOutcome, Variant } from '../../src/conventions/index.js';
import type { GroupCommit } from './group-commit.js';
import type { Db } from './open.js';

/** A payment as the store keeps it: what GET /payments answers and the recovery loop settles. */
export interface PaymentRecord {
  readonly paymentId: string;
  readonly orderId: string;
  readonly amount: number;
  readonly currency: string;
  readonly paymentMethod: string;
  readonly provider: string;
  /** The key every call to the provider for this payment carries (its idempotency key, or what derives it). */
  readonly providerKey: string;
  /** The merchant order number the provider records (out_trade_no for Alipay/WeChat, else the order id). */
  readonly providerReference: string;
  readonly providerPaymentId?: string;
  readonly status: PaymentOutcome;
  readonly errorCode?: NormalisedCode;
  readonly providerCode?: string;
  /** The HTTP status the gateway answered (or would answer) for this state. */
  readonly httpStatus?: number;
  /** The boot whose request is calling the provider right now; absent once answered. */
  readonly inFlightBoot?: string;
  readonly variant: Variant;
  readonly failover?: boolean;
  readonly failoverFrom?: string;
  readonly failoverReason?: string;
  /** A card's 3-D Secure challenge: the page the shopper must visit (the provider's redirect URL); absent otherwise. */
  readonly nextActionUrl?: string;
  /** A marketplace order: who is owed the sale and what the platform keeps (PaymentSplit); absent otherwise. */
  readonly split?: PaymentSplit;
  /**
   * A split shared in a call of its own after the payment (Alipay 分账, WeChat Pay profit
   * sharing): `pending` until the provider confirms it, then `shared`. Absent otherwise.
   */
  readonly splitState?: SplitState;
  readonly createdAt: number;
  readonly updatedAt: number;
}

/**
 * A marketplace order's split: the provider's own id of the account owed the sale (Stripe
 * `acct_…`, an Adyen balance account) and the platform's commission, minor units, at most the
 * amount. The receiver is owed `amount − platformFee`.
 */
export interface PaymentSplit {
  readonly destination: string;
  readonly platformFee: number;
}

export type SplitState = 'pending' | 'shared' | 'failed';

/** What a settled (or re-read) payment changes to. */
export interface PaymentOutcomeUpdate {
  readonly status: PaymentOutcome;
  readonly errorCode?: NormalisedCode | undefined;
  readonly providerCode?: string | undefined;
  readonly providerPaymentId?: string | undefined;
  readonly httpStatus: number;
  /** Where the shopper authenticates (3-D Secure); once set it stays: the page is the payment's, not the answer's. */
  readonly nextActionUrl?: string | undefined;
  /** Succeeded by capturing a hold in part: the minor units captured (booked instead of the payment's amount). */
  readonly capturedAmount?: number | undefined;
}

interface Row {
  payment_id: string;
  order_id: string;
  amount: number;
  currency: string;
  payment_method: string;
  provider: string;
  provider_key: string;
  provider_reference: string;
  provider_payment_id: string | null;
  status: PaymentOutcome;
  error_code: string | null;
  provider_code: string | null;
  http_status: number | null;
  in_flight_boot: string | null;
  variant: Variant;
  failover: number | null;
  failover_from: string | null;
  failover_reason: string | null;
  next_action_url: string | null;
  split_destination: string | null;
  split_fee: number | null;
  split_state: SplitState | null;
  created_at: number;
  updated_at: number;
}

/** The payments table, through prepared statements. */
export class Payments {
  readonly #insert;
  readonly #byId;
  readonly #latestForOrder;
  readonly #settle;
  readonly #unsettled;
  readonly #failover;
  readonly #touch;
  readonly #byReference;
  readonly #byProviderId;
  readonly #splitState;
  readonly #splitsPending;

  readonly #group: GroupCommit;

  constructor(db: Db, group: GroupCommit) {
    this.#group = group;
    this.#insert = db.prepare(
      `INSERT INTO payments (payment_id, order_id, amount, currency, payment_method, provider, provider_key, provider_reference, status, error_code, in_flight_boot, variant, split_destination, split_fee, created_at, updated_at)
       VALUES (@paymentId, @orderId, @amount, @currency, @paymentMethod, @provider, @providerKey, @providerReference, 'pending', 'outcome_unknown', @boot, @variant, @splitDestination, @splitFee, @now, @now)`,
    );
    this.#byId = db.prepare<[string], Row>('SELECT * FROM payments WHERE payment_id = ?');
    // rowid breaks a tie of created_at within one millisecond: the newest row is the order's.
    // A failed payment does not hide an earlier one that went through (the skipOrderGuard regression's second try).
    this.#latestForOrder = db.prepare<[string], Row>("SELECT * FROM payments WHERE order_id = ? ORDER BY status = 'failed', created_at DESC, rowid DESC LIMIT 1");
    this.#touch = db.prepare('UPDATE payments SET updated_at = ? WHERE payment_id = ?');
    this.#byReference = db.prepare<[string], Row>("SELECT * FROM payments WHERE provider_reference = ? AND provider_reference <> order_id ORDER BY status = 'failed', created_at DESC, rowid DESC LIMIT 1");
    this.#byProviderId = db.prepare<[string], Row>("SELECT * FROM payments WHERE provider_payment_id = ? AND provider_payment_id IS NOT NULL ORDER BY status = 'failed', created_at DESC, rowid DESC LIMIT 1");
    // RETURNING: the settled row comes back from the same statement (the settle phase reads it next; a SELECT more per payment otherwise).
    this.#settle = db.prepare<[Record<string, unknown>], Row>(
      `UPDATE payments SET status = @status, error_code = @errorCode, provider_code = @providerCode,
         provider_payment_id = COALESCE(@providerPaymentId, provider_payment_id), http_status = @httpStatus, next_action_url = COALESCE(@nextActionUrl, next_action_url), in_flight_boot = NULL, updated_at = @now
       WHERE payment_id = @paymentId RETURNING *`,
    );
    // Pending and not being called by a live request of this boot: a request of a dead boot left it.
    this.#unsettled = db.prepare<[string, number, number], Row>(
      "SELECT * FROM payments WHERE status = 'pending' AND (in_flight_boot IS NULL OR in_flight_boot <> ?) AND updated_at <= ? ORDER BY updated_at LIMIT ?",
    );
    this.#splitState = db.prepare('UPDATE payments SET split_state = ?, updated_at = ? WHERE payment_id = ?');
    this.#splitsPending = db.prepare<[number, number], Row>("SELECT * FROM payments WHERE split_state = 'pending' AND updated_at <= ? ORDER BY updated_at LIMIT ?");
    // The provider's reference moves with it: Alipay/WeChat file the order under a derived number, Adyen under the order id.
    this.#failover = db.prepare(
      'UPDATE payments SET failover = 1, failover_from = @from, failover_reason = @reason, provider = @provider, provider_reference = COALESCE(@providerReference, provider_reference), updated_at = @now WHERE payment_id = @paymentId',
    );
  }

  /** A new payment, pending with its outcome unknown until the provider answers, held by `boot`. */
  create(p: { paymentId: string; orderId: string; amount: number; currency: string; paymentMethod: string; provider: string; providerKey: string; providerReference: string; variant: Variant; boot: string; now: number; split?: PaymentSplit | undefined }): void {
    const { split, ...row } = p;
    this.#group.one(() => this.#insert.run({ ...row, splitDestination: split?.destination ?? null, splitFee: split?.platformFee ?? null }));
  }

  get(paymentId: string): PaymentRecord | undefined {
    const row = this.#byId.get(paymentId);
    return row && toRecord(row);
  }

  /** The order's payment: its newest that did not fail, else its newest. */
  forOrder(orderId: string): PaymentRecord | undefined {
    const row = this.#latestForOrder.get(orderId);
    return row && toRecord(row);
  }

  /**
   * The payment a provider's notification is about: by the merchant number it files the order
   * under (the order id, or Alipay/WeChat Pay's derived out_trade_no), else by the provider's own
   * payment id. Only a payment at that provider (a notification from another is not about it).
   */
  forNotification(provider: string, merchantReference: string | undefined, providerPaymentId: string | undefined): PaymentRecord | undefined {
    // Asked in this order and only until one answers: every notification pays for these lookups.
    const lookups = [
      () => (merchantReference !== undefined ? this.#latestForOrder.get(merchantReference) : undefined),
      () => (merchantReference !== undefined ? this.#byReference.get(merchantReference) : undefined),
      () => (providerPaymentId !== undefined ? this.#byProviderId.get(providerPaymentId) : undefined),
    ];
    for (const lookup of lookups) {
      const row = lookup();
      if (row !== undefined && row.provider === provider) return toRecord(row);
    }
    return undefined;
  }

  /** The payment's new outcome; returns the row as settled (undefined: no such payment). */
  settle(paymentId: string, update: PaymentOutcomeUpdate, now: number): PaymentRecord | undefined {
    const row = this.#group.one(() => this.#settle.get({
      paymentId,
      status: update.status,
      errorCode: update.errorCode ?? null,
      providerCode: update.providerCode ?? null,
      providerPaymentId: update.providerPaymentId ?? null,
      httpStatus: update.httpStatus,
      nextActionUrl: update.nextActionUrl ?? null,
      now,
    }));
    return row && toRecord(row);
  }

  /**
   * The payment moved from `from` to `provider`, and why. Written before the call to the new
   * channel, so a crash mid-call leaves the row naming the provider the recovery loop must query.
   */
  recordFailover(paymentId: string, from: string, provider: string, reason: string, now: number, providerReference?: string): void {
    this.#group.one(() => this.#failover.run({ paymentId, from, provider, reason, now, providerReference: providerReference ?? null }));
  }

  /** Moves a payment to the back of the recovery loop's queue (it was looked at, nothing learned). */
  touch(paymentId: string, now: number): void {
    this.#group.one(() => this.#touch.run(now, paymentId));
  }

  /** A split shared after its payment: now pending (booked with the capture), or shared (the provider confirmed it). */
  setSplitState(paymentId: string, state: SplitState, now: number): void {
    this.#group.one(() => this.#splitState.run(state, now, paymentId));
  }

  /** Up to `limit` payments whose split the provider has not confirmed yet, last touched at or before `before`, oldest first. */
  splitsPending(before: number, limit: number): PaymentRecord[] {
    return this.#splitsPending.all(before, limit).map(toRecord);
  }

  /** Up to `limit` pending payments no request of `boot` is calling, last touched at or before `before`, oldest first. */
  unsettled(boot: string, before: number, limit: number): PaymentRecord[] {
    return this.#unsettled.all(boot, before, limit).map(toRecord);
  }
}

function toRecord(r: Row): PaymentRecord {
  return {
    paymentId: r.payment_id,
    orderId: r.order_id,
    amount: r.amount,
    currency: r.currency,
    paymentMethod: r.payment_method,
    provider: r.provider,
    providerKey: r.provider_key,
    providerReference: r.provider_reference,
    ...(r.provider_payment_id !== null ? { providerPaymentId: r.provider_payment_id } : {}),
    status: r.status,
    ...(r.error_code !== null ? { errorCode: r.error_code as NormalisedCode } : {}),
    ...(r.provider_code !== null ? { providerCode: r.provider_code } : {}),
    ...(r.http_status !== null ? { httpStatus: r.http_status } : {}),
    ...(r.in_flight_boot !== null ? { inFlightBoot: r.in_flight_boot } : {}),
    variant: r.variant,
    ...(r.failover !== null ? { failover: r.failover === 1 } : {}),
    ...(r.failover_from !== null ? { failoverFrom: r.failover_from } : {}),
    ...(r.failover_reason !== null ? { failoverReason: r.failover_reason } : {}),
    ...(r.next_action_url !== null ? { nextActionUrl: r.next_action_url } : {}),
    ...(r.split_destination !== null && r.split_fee !== null ? { split: { destination: r.split_destination, platformFee: r.split_fee } } : {}),
    ...(r.split_state !== null ? { splitState: r.split_state } : {}),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}
