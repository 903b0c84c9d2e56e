import { BoundedMap } from '../../src/kernel/index.js';

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

export class WechatState {
  readonly orders: Map<string, WechatOrder>;
  readonly byTransactionId: Map<string, WechatOrder>;
  readonly refunds: Map<string, { order: WechatOrder; refund: WechatRefund }>;
  /** Profit-sharing orders by out_order_no (profitsharing.ts). */
  readonly shares: Map<string, WechatShareOrder>;
  /** Bill files behind the `download_url` tokens of /v3/bill/tradebill and /fundflowbill. */
  readonly bills: Map<string, { readonly bytes: Buffer; readonly expiresAt: number }>;

  constructor(retain: number) {
    this.bills = new BoundedMap(1000);
    this.orders = new BoundedMap(retain);
    this.byTransactionId = new BoundedMap(retain);
    this.refunds = new BoundedMap(retain);
    this.shares = new BoundedMap(retain);
  }
}
