import type { Clock, Random } from '../../src/kernel/index.js';
import type { Behaviour, IdGenerator, Ledger, SpillStore, WebhookDispatcher } from '../core/index.js';
import type { UnionPayKeys } from './keys.js';

/**
 * One UnionPay transaction: a consume (txnType 01), a refund (04) or a consume cancel (31).
 * merId + orderId + txnTime identify it, as UnionPay's docs say ("三要素唯一确定一笔交易"): the
 * same three again are a duplicate (respCode 12), never a second charge. queryId is UnionPay's
 * own id, which refunds and cancels name as origQryId.
 */
export type TxnType = '01' | '04' | '31';
/** awaiting: a front consume whose cardholder has not paid yet (UnionPay knows nothing of it: query answers 34). */
export type TxnStatus = 'awaiting' | 'processing' | 'succeeded' | 'failed';

export interface UpopTxn {
  readonly txnType: TxnType;
  readonly orderId: string;
  readonly txnTime: string;
  readonly queryId: string;
  /** Fen. */
  readonly txnAmt: number;
  readonly channel: 'front' | 'back';
  readonly backUrl: string | undefined;
  readonly frontUrl: string | undefined;
  readonly origQryId: string | undefined;
  readonly traceId: string | undefined;
  readonly createdAt: Date;
  status: TxnStatus;
  /** The transaction's own answer code once it ended (origRespCode in a query). */
  respCode: string;
  /** Consumes: fen given back so far (refunds and a cancel). */
  returned: number;
  /** Masked card number, once a card paid. */
  accNo: string | undefined;
  settledAt: Date | undefined;
}

/**
 * Transactions by queryId, and merId+orderId+txnTime → queryId. Each keeps its newest `retain` in
 * memory and the older ones in the spill store (core/spill-map.ts), so an old consume is still
 * queried, refunded and cancelled, and its three elements sent again are still a duplicate (12)
 * rather than a second charge. The key index holds queryIds, not transactions: one transaction is
 * one object, so a change made through either lookup is the same change once read back from disk.
 */
export class UnionPayState {
  readonly byQueryId: Map<string, UpopTxn>;
  readonly byKey: { get(key: string): UpopTxn | undefined };
  readonly #queryIdOf: Map<string, string>;

  constructor(retain: number, spill: SpillStore) {
    this.byQueryId = spill.map('transactions', retain);
    this.#queryIdOf = spill.map('query_id_by_key', retain);
    this.byKey = {
      get: (key) => {
        const queryId = this.#queryIdOf.get(key);
        return queryId === undefined ? undefined : this.byQueryId.get(queryId);
      },
    };
  }

  add(t: UpopTxn): void {
    this.#queryIdOf.set(txnKey(t.orderId, t.txnTime), t.queryId);
    this.byQueryId.set(t.queryId, t);
  }
}

export const txnKey = (orderId: string, txnTime: string): string => `${orderId}|${txnTime}`;

export interface UnionPayContext {
  readonly merId: string;
  readonly keys: UnionPayKeys;
  readonly ledger: Ledger;
  readonly state: UnionPayState;
  readonly behaviour: Behaviour;
  readonly webhooks: WebhookDispatcher;
  readonly ids: IdGenerator;
  readonly random: Random;
  readonly clock: Clock;
  /** A consume answered 03/04/05 ends (succeeds) this long after, on `clock`. */
  readonly processingMs: number;
  /** When set, the cardholder pays each front consume this long after it opened, with the test card. */
  readonly shopperDelayMs: number | undefined;
  now(): Date;
  /** Run `fn` after `ms` on `clock`; cancelled when the simulator closes. */
  later(ms: number, fn: () => void): void;
}
