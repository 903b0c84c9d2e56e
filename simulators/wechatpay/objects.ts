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
}

export class WechatState {
  readonly orders: Map<string, WechatOrder>;
  readonly byTransactionId: Map<string, WechatOrder>;
  readonly refunds: Map<string, { order: WechatOrder; refund: WechatRefund }>;
  /** Bill files behind the `download_url` tokens of /v3/bill/tradebill and /fundflowbill. */
  readonly bills: Map<string, { readonly bytes: Buffer; readonly expiresAt: number }>;

  constructor(retain: number) {
    this.bills = new BoundedMap(1000);
    this.orders = new BoundedMap(retain);
    this.byTransactionId = new BoundedMap(retain);
    this.refunds = new BoundedMap(retain);
  }
}
