import { randomUUID } from 'node:crypto';
import { Attempts } from './attempts.js';
import { GroupCommit, type GroupCommitOptions } from './group-commit.js';
import { Disputes } from './disputes.js';
import type { FeeTable } from '../fees.js';
import { IdempotencyKeys, type StoredResponse } from './idempotency-keys.js';
import { Ledger } from './ledger.js';
import { MEMORY, openDb, type Db } from './open.js';
import { Payments, type PaymentOutcomeUpdate, type PaymentRecord } from './payments.js';
import { WebhookInbox, type WebhookEvent } from './webhook-inbox.js';

/** A provider call that has answered, to be completed in its attempts row with the settle. */
export interface AttemptDone {
  readonly id: number;
  readonly result: { outcome: string; errorCode?: string | undefined; providerCode?: string | undefined; providerStatus: number };
  readonly durationMs: number;
}

export interface StoreOptions {
  /** The SQLite file; absent or ':memory:' for a store that lives as long as the process. */
  path?: string;
  /** The flag or setting that named the path, for the error a bad one gets (`--db`, `db`). */
  flag?: string;
  now?: () => number;
  /** How writes are grouped into commits (group-commit.ts); default: every write of one event-loop turn in one commit. */
  groupCommit?: GroupCommitOptions;
  /** The fees the ledger books (default: the providers' list prices, PROVIDER_FEES). */
  fees?: FeeTable;
  /**
   * Providers whose split is a call of its own after the payment (Alipay 分账, WeChat Pay profit
   * sharing): a split payment there is booked with its capture but its transfer waits, `pending`,
   * until splitShared(). Elsewhere the charge itself carried the split and the transfer is booked at once.
   */
  splitsAfterPayment?: readonly string[];
  /** Providers whose refunds of a split payment take the receiver's share back with them (Ledger: transfer_reversal). */
  splitsReversedOnRefund?: readonly string[];
}

/**
 * The gateway's durable state: one SQLite handle and the tables behind it. The phases of a payment
 * that must commit together (the payment row with its key's recovery point; the outcome with its
 * ledger entry and the key's stored answer) are methods here, each one phase: all of it or none.
 *
 * Phases are committed in groups (group-commit.ts): every write of one event-loop turn shares one
 * COMMIT. A write is durable only once `durable()` resolves, so callers await it before anything
 * that depends on the write leaves the process — a provider call, an answer, a webhook's ack.
 *
 * `boot` names this opening of the store (a process run): a key or payment held by another boot
 * was held by a process that is gone, which is how a restarted gateway knows what to recover.
 */
export class GatewayStore {
  readonly db: Db;
  readonly path: string;
  readonly boot: string = randomUUID();
  readonly payments: Payments;
  readonly attempts: Attempts;
  readonly keys: IdempotencyKeys;
  readonly inbox: WebhookInbox;
  readonly ledger: Ledger;
  readonly disputes: Disputes;
  readonly now: () => number;
  readonly #group: GroupCommit;
  readonly #created: (key: string, payment: Parameters<Payments['create']>[0], beginCharge: boolean) => number | undefined;
  readonly #splitsAfterPayment: ReadonlySet<string>;
  readonly #shared: (paymentId: string) => PaymentRecord | undefined;
  readonly #settled: (paymentId: string, update: PaymentOutcomeUpdate, respond: ((p: PaymentRecord) => StoredResponse) | undefined, attempt: AttemptDone | undefined) => PaymentRecord;

  constructor(options: StoreOptions = {}) {
    this.path = options.path ?? MEMORY;
    this.db = openDb(this.path, options.flag);
    this.now = options.now ?? Date.now;
    this.#group = new GroupCommit(this.db, options.groupCommit);
    this.#splitsAfterPayment = new Set(options.splitsAfterPayment ?? []);
    this.payments = new Payments(this.db, this.#group);
    this.attempts = new Attempts(this.db, this.#group);
    this.keys = new IdempotencyKeys(this.db, this.#group);
    this.inbox = new WebhookInbox(this.db, this.#group);
    this.ledger = new Ledger(this.db, this.#group, options.fees, options.splitsReversedOnRefund);
    this.disputes = new Disputes(this.db, this.#group);
    this.#created = this.#group.phase((key: string, payment: Parameters<Payments['create']>[0], beginCharge: boolean) => {
      this.payments.create(payment);
      this.keys.advance(key, 'payment_created', payment.paymentId);
      return beginCharge ? this.attempts.begin(payment.paymentId, 'charge', payment.provider, payment.providerKey, payment.now) : undefined;
    });
    this.#settled = this.#group.phase((paymentId: string, update: PaymentOutcomeUpdate, respond: ((p: PaymentRecord) => StoredResponse) | undefined, attempt: AttemptDone | undefined) => {
      const now = this.now();
      if (attempt) this.attempts.finish(attempt.id, attempt.result, now, attempt.durationMs);
      // One read before (monotone needs the current state) and the row as settled from the UPDATE
      // itself; read again only if a write below changes it (the split's state).
      let payment = this.payments.settle(paymentId, monotone(this.payments.get(paymentId), update), now)!;
      // Money moved: book it — the payment's amount, or what a capture of its hold took. Unique per
      // payment, so a second settle (recovery after the answer, a notification) books nothing.
      if (update.status === 'succeeded') {
        const captured = update.capturedAmount ?? payment.amount;
        this.ledger.capture(paymentId, payment.provider, captured, payment.currency, now);
        // A marketplace order: the commission and the receiver's part, in the same transaction as the capture.
        if (payment.split) {
          const after = this.#splitsAfterPayment.has(payment.provider);
          this.ledger.split(paymentId, payment.provider, captured, payment.currency, payment.split, now, !after);
          // Only the first settle marks it (a later one, a notification after the answer, must not
          // undo `shared`); a split that gives the receiver nothing has nothing to share.
          if (after && payment.splitState === undefined && captured > payment.split.platformFee) {
            this.payments.setSplitState(paymentId, 'pending', now);
            payment = this.payments.get(paymentId)!;
          }
        }
      }
      if (respond) this.keys.finishFor(paymentId, respond(payment));
      return payment;
    });
    this.#shared = this.#group.phase((paymentId: string) => {
      const payment = this.payments.get(paymentId);
      if (!payment?.split || payment.splitState !== 'pending') return payment;
      const now = this.now();
      this.ledger.transfer(paymentId, payment.provider, this.ledger.captured(paymentId), payment.currency, payment.split, now);
      this.payments.setSplitState(paymentId, 'shared', now);
      return this.payments.get(paymentId);
    });
  }

  /**
   * A split shared after its payment is confirmed by the provider: its transfer booked and the
   * payment's split `shared`, in one transaction. Once: a second confirmation books nothing.
   */
  splitShared(paymentId: string): PaymentRecord | undefined {
    return this.#shared(paymentId);
  }

  /** The provider refused a pending split for good: no transfer, the receiver is still owed. */
  splitFailed(paymentId: string): void {
    this.payments.setSplitState(paymentId, 'failed', this.now());
  }

  /**
   * Phase 1 → 2: the payment row exists (pending, held by this boot) and the key says so. With
   * `beginCharge`, the attempts row of the charge about to be sent is written in the same
   * transaction (one commit fewer per payment); its id is returned.
   */
  createPayment(key: string, payment: Omit<Parameters<Payments['create']>[0], 'boot' | 'now'>, beginCharge = false): number | undefined {
    return this.#created(key, { ...payment, boot: this.boot, now: this.now() }, beginCharge);
  }

  /**
   * Phase 2 → finished: the payment's outcome and, when it succeeded, its capture in the ledger —
   * one transaction, with the attempt that learned it completed. With `respond`, every key still at payment_created for this payment (the
   * request's own, or one left by a request that died) stores the answer made from the settled row.
   */
  settlePayment(paymentId: string, update: PaymentOutcomeUpdate, respond?: (p: PaymentRecord) => StoredResponse, attempt?: AttemptDone): PaymentRecord {
    return this.#settled(paymentId, update, respond, attempt);
  }

  /** A notification, recorded once per (provider, event id): true when it is new. */
  recordWebhookEvent(event: Omit<WebhookEvent, 'receivedAt'> & { receivedAt?: number }): boolean {
    return this.inbox.record({ ...event, receivedAt: event.receivedAt ?? this.now() });
  }

  /**
   * Resolves once every write made so far in this turn has committed; rejects with
   * PAYCHAOS_ERR_GATEWAY_STORE_COMMIT when its group was rolled back. Call it in the same turn as
   * the write it guards (before awaiting anything else): the store commits only between turns.
   */
  durable(): Promise<void> {
    return this.#group.durable();
  }

  /** Several writes as one phase of the open group (a webhook applied, a routed payment's rows): all or none. */
  phase<R>(fn: () => R): R {
    return this.#group.phase(fn)();
  }

  /** Groups committed (or rolled back) since the store opened. */
  get groups(): number {
    return this.#group.groups;
  }

  close(): void {
    if (!this.db.open) return;
    this.#group.flush();
    this.db.close();
  }
}

/**
 * A payment's state only moves forward, whoever learns it first (the API answer, a status query,
 * a notification, in any order): money that moved is never un-moved by a later, staler answer.
 * succeeded stays succeeded (a late timeout or a late "failed" event changes nothing); failed does
 * not go back to pending; failed may become succeeded, because the provider saying it took the
 * money is the truth the books must follow (a charge believed absent that landed after all).
 */
export function monotone(current: PaymentRecord | undefined, update: PaymentOutcomeUpdate): PaymentOutcomeUpdate {
  if (!current || current.status === 'pending' || current.status === update.status || update.status === 'succeeded') return update;
  return { status: current.status, errorCode: current.errorCode, providerCode: current.providerCode, providerPaymentId: current.providerPaymentId ?? update.providerPaymentId, httpStatus: current.httpStatus ?? update.httpStatus };
}

/**
 * Record a provider's notification in the store's inbox, de-duplicated by (provider, event id):
 * true when it is new and should be applied, false when it is a copy already recorded.
 */
export function recordWebhookEvent(store: GatewayStore, event: { provider: string; eventId: string; eventType?: string; paymentId?: string; payload: string }): boolean {
  return store.recordWebhookEvent(event);
}
