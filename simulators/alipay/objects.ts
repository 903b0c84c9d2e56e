import { BoundedMap } from '../../src/kernel/index.js';
import type { SpillStore } from '../core/index.js';

export type AlipayTradeStatus = 'WAIT_BUYER_PAY' | 'TRADE_SUCCESS' | 'TRADE_CLOSED' | 'TRADE_FINISHED';
/** pay (bar code), precreate (QR), create (JSAPI), page / wap (the cashier of page.pay / wap.pay). */
export type AlipayCreateMethod = 'pay' | 'precreate' | 'create' | 'page' | 'wap';

export interface AlipayRefund {
  readonly outRequestNo: string;
  readonly amount: number;
  readonly at: Date;
}

/** One royalty_parameters item of a settle (settle.ts); `amount` in fen. */
export interface AlipayRoyalty {
  readonly transOut: string;
  readonly transIn: string;
  readonly transInType: string;
  readonly amount: number;
  readonly desc?: string;
}

/** An alipay.trade.order.settle request, by its out_request_no. */
export interface AlipaySettle {
  readonly outRequestNo: string;
  readonly settleNo: string;
  readonly at: Date;
  readonly royalties: readonly AlipayRoyalty[];
}

/** A trade as the Alipay simulator keeps it; `amount` and `refunded` in fen. */
export interface AlipayTrade {
  readonly tradeNo: string;
  readonly outTradeNo: string;
  /** The method that created it; another create method on the same out_trade_no is inconsistent. */
  readonly method: AlipayCreateMethod;
  /** The business parameters that must match when the same out_trade_no is sent again. */
  readonly fingerprint: string;
  readonly amount: number;
  readonly totalAmount: string;
  readonly currency: string;
  readonly subject: string;
  status: AlipayTradeStatus;
  /**
   * A precreated (QR) trade does not exist for trade.query until the buyer scans the code —
   * Alipay answers ACQ.TRADE_NOT_EXIST before that, which trips many integrations.
   */
  scanned: boolean;
  readonly buyerId: string;
  readonly buyerLogonId: string;
  readonly notifyUrl: string | undefined;
  readonly createdAt: Date;
  paidAt?: Date;
  closedAt?: Date;
  refunded: number;
  readonly refunds: Map<string, AlipayRefund>;
  readonly traceId: string | undefined;
  /** What alipay.trade.cancel did to it, so a retried cancel answers the same action. */
  cancelled?: 'close' | 'refund';
  /** Cashier trades (page.pay / wap.pay): the method that opened the page, where the buyer goes back to, wap.pay's quit_url. */
  cashier?: { method: string; returnUrl: string | undefined; quitUrl: string | undefined };
  /** 分账 requests on it (settle.ts), by out_request_no; never in the ledger. */
  settles?: Map<string, AlipaySettle>;
}

/**
 * Trades by trade_no, and out_trade_no → trade_no. Each keeps its newest `retain` in memory and
 * the older ones in the spill store (core/spill-map.ts), so an old trade is still queried,
 * refunded, closed, and a repeated out_trade_no still answers ACQ.TRADE_HAS_SUCCESS instead of
 * charging again. The out_trade_no index holds trade numbers, not trades: one trade is one
 * object, so a change made through either lookup is the same change once read back from disk.
 */
export class AlipayState {
  readonly byTradeNo: Map<string, AlipayTrade>;
  readonly byOutTradeNo: { get(outTradeNo: string): AlipayTrade | undefined };
  readonly #tradeNoOf: Map<string, string>;
  /** Bill files ready for download, by the token of their bill_download_url (short-lived, not money state). */
  readonly bills: Map<string, { readonly fileName: string; readonly bytes: Buffer; readonly expiresAt: number }>;

  constructor(retain: number, spill: SpillStore) {
    this.byTradeNo = spill.map('trades', retain);
    this.#tradeNoOf = spill.map('trade_no_by_out_trade_no', retain);
    this.byOutTradeNo = {
      get: (outTradeNo) => {
        const tradeNo = this.#tradeNoOf.get(outTradeNo);
        return tradeNo === undefined ? undefined : this.byTradeNo.get(tradeNo);
      },
    };
    this.bills = new BoundedMap(1000);
  }

  add(trade: AlipayTrade): void {
    this.#tradeNoOf.set(trade.outTradeNo, trade.tradeNo);
    this.byTradeNo.set(trade.tradeNo, trade);
  }

  /** By trade_no first (Alipay's precedence), else by out_trade_no. */
  find(tradeNo: string | undefined, outTradeNo: string | undefined): AlipayTrade | undefined {
    if (tradeNo) return this.byTradeNo.get(tradeNo);
    return outTradeNo ? this.byOutTradeNo.get(outTradeNo) : undefined;
  }
}
