import { BoundedMap } from '../../src/kernel/index.js';
import type { SpillStore } from '../core/index.js';

export type TradeType = 'JSAPI' | 'NATIVE' | 'APP' | 'MWEB';
export type TradeState = 'SUCCESS' | 'REFUND' | 'NOTPAY' | 'CLOSED' | 'REVOKED' | 'USERPAYING' | 'PAYERROR';

export interface WechatRefund {
  readonly refundId: string;
  readonly outRefundNo: string;
  readonly amount: number;
  readonly reason: string | undefined;
  readonly createdAt: Date;
  status: 'PROCESSING' | 'SUCCESS';
  successAt?: Date;
}

/** An order as the WeChat Pay simulator keeps it; amounts in fen. */
export interface WechatOrder {
  readonly appid: string;
  readonly mchid: string;
  readonly outTradeNo: string;
  readonly tradeType: TradeType;
  /** The request's business fields: resubmitting other ones is OUT_TRADE_NO_USED. */
  readonly fingerprint: string;
  readonly description: string;
  readonly attach: string | undefined;
  readonly notifyUrl: string;
  readonly total: number;
  readonly currency: string;
  readonly openid: string;
  /** prepay_id, code_url or h5_url: the same one for an identical resubmission. */
  readonly prepay: Readonly<Record<string, string>>;
  readonly createdAt: Date;
  /** A forced failure waiting for the payer's attempt (NOTENOUGH, PAYERROR). */
  readonly failWith: string | undefined;
  state: TradeState;
  stateDesc: string;
  transactionId?: string;
  successAt?: Date;
  refunded: number;
  readonly refunds: Map<string, WechatRefund>;
  readonly traceId: string | undefined;
  /** `settle_info.profit_sharing: true` at ordering: its funds stay frozen for 分账 (profitsharing.ts). */
  readonly profitSharing: boolean;
  /** Fen shared to receivers so far, and whether the rest was unfrozen to the merchant (`unfreeze_unsplit`). */
  shared?: number;
  /** Its profit-sharing orders' out_order_nos, in order (profitsharing.ts): how the settlement report finds them. */
  shareNos?: string[];
  unfrozen?: boolean;
}

/** A receiver of a profit-sharing order, as the API answers it; `amount` in fen. */
export interface WechatShareReceiver {
  readonly type: 'MERCHANT_ID' | 'PERSONAL_OPENID' | 'PERSONAL_SUB_OPENID';
  readonly account: string;
  readonly amount: number;
  readonly description: string;
  readonly detailId: string;
}

/** `POST /v3/profitsharing/orders`, by out_order_no. */
export interface WechatShareOrder {
  readonly outOrderNo: string;
  readonly orderId: string;
  readonly transactionId: string;
  readonly receivers: readonly WechatShareReceiver[];
  readonly unfreezeUnsplit: boolean;
  readonly at: Date;
}

/**
 * Orders by out_trade_no, with transaction_id and out_refund_no indexes onto them. Each keeps its
 * newest `retain` in memory and the older ones in the spill store (core/spill-map.ts), so an old
 * order is still queried, refunded and closed, and its refunds found. The indexes hold
 * out_trade_nos, not orders: one order (and its refunds) is one object, so a change made through
 * any lookup is the same change once read back from disk.
 */
export class WechatState {
  readonly orders: Map<string, WechatOrder>;
  readonly byTransactionId: { get(transactionId: string): WechatOrder | undefined; set(transactionId: string, order: WechatOrder): void };
  readonly refunds: { get(outRefundNo: string): { order: WechatOrder; refund: WechatRefund } | undefined; set(outRefundNo: string, found: { order: WechatOrder; refund: WechatRefund }): void };
  /** Profit-sharing orders by out_order_no (profitsharing.ts). */
  readonly shares: Map<string, WechatShareOrder>;
  /** Bill files behind the `download_url` tokens of /v3/bill/tradebill and /fundflowbill (short-lived, not money state). */
  readonly bills: Map<string, { readonly bytes: Buffer; readonly expiresAt: number }>;

  constructor(retain: number, spill: SpillStore) {
    this.bills = new BoundedMap(1000);
    const orders = spill.map<WechatOrder>('orders', retain);
    const byTransactionId = spill.map<string>('out_trade_no_by_transaction_id', retain);
    const byRefund = spill.map<string>('out_trade_no_by_out_refund_no', retain);
    const orderOf = (outTradeNo: string | undefined) => (outTradeNo === undefined ? undefined : orders.get(outTradeNo));
    this.orders = orders;
    this.byTransactionId = {
      get: (transactionId) => orderOf(byTransactionId.get(transactionId)),
      set: (transactionId, order) => void byTransactionId.set(transactionId, order.outTradeNo),
    };
    this.refunds = {
      get: (outRefundNo) => {
        const order = orderOf(byRefund.get(outRefundNo));
        const refund = order?.refunds.get(outRefundNo);
        return order && refund ? { order, refund } : undefined;
      },
      set: (outRefundNo, found) => void byRefund.set(outRefundNo, found.order.outTradeNo),
    };
    this.shares = spill.map('profit_sharing_orders', retain);
  }
}
