import type { KeyObject } from 'node:crypto';
import { inTrace, type Behaviour, type IdGenerator, type Ledger, type WebhookDispatcher } from '../core/index.js';
import type { Clock, Random } from '../../src/kernel/index.js';
import { alipayNotification } from './notify.js';
import type { AlipayState, AlipayTrade } from './objects.js';
import { fenToYuan } from './params.js';
import { alipayDate, alipayTime } from './time.js';

export interface AlipayContext {
  readonly appId: string;
  readonly sellerId: string;
  readonly merchantPublicKey: KeyObject;
  readonly platformPrivateKey: KeyObject;
  readonly ledger: Ledger;
  readonly state: AlipayState;
  readonly behaviour: Behaviour;
  readonly webhooks: WebhookDispatcher;
  readonly ids: IdGenerator;
  readonly random: Random;
  readonly clock: Clock;
  /** When set, the buyer pays each waiting trade this long after it is made (simulated ms). */
  readonly buyerDelayMs: number | undefined;
  now(): Date;
}

/** A 28-digit trade_no: the Beijing date and 20 digits, like Alipay's. */
export function newTradeNo(ctx: AlipayContext): string {
  return `${alipayDate(ctx.now())}${ctx.ids.digits(20)}`;
}

/** Money arrived: the trade is paid (ledger first, then the notification). */
export function markPaid(ctx: AlipayContext, t: AlipayTrade): void {
  t.status = 'TRADE_SUCCESS';
  t.scanned = true;
  t.paidAt = ctx.now();
  const common = { paymentId: t.tradeNo, orderId: t.outTradeNo, idempotencyKey: t.outTradeNo, amount: t.amount, currency: t.currency, traceId: t.traceId };
  // Alipay has no separate capture: a successful trade is authorised and captured at once.
  ctx.ledger.record({ kind: 'authorization', ...common });
  ctx.ledger.record({ kind: 'capture', ...common });
  notify(ctx, t);
}

/** Queue the async notification for `t` in its current state (Alipay sends none for WAIT_BUYER_PAY). */
export function notify(ctx: AlipayContext, t: AlipayTrade, refund?: { outRequestNo: string; at: Date }): void {
  if (t.status === 'WAIT_BUYER_PAY') return;
  const paid = t.paidAt ? fenToYuan(t.amount, t.currency) : undefined;
  const params: Record<string, string> = {
    notify_type: 'trade_status_sync',
    app_id: ctx.appId,
    // The app the merchant authorised (the same app when it calls for itself, as here).
    auth_app_id: ctx.appId,
    charset: 'utf-8',
    version: '1.0',
    sign_type: 'RSA2',
    trade_no: t.tradeNo,
    out_trade_no: t.outTradeNo,
    trade_status: t.status,
    total_amount: t.totalAmount,
    subject: t.subject,
    buyer_id: t.buyerId,
    buyer_logon_id: t.buyerLogonId,
    seller_id: ctx.sellerId,
    gmt_create: alipayTime(t.createdAt),
  };
  if (paid !== undefined && t.paidAt) {
    Object.assign(params, { receipt_amount: paid, buyer_pay_amount: paid, invoice_amount: paid, gmt_payment: alipayTime(t.paidAt) });
    params.fund_bill_list = JSON.stringify([{ amount: paid, fundChannel: 'ALIPAYACCOUNT' }]);
  }
  if (refund) Object.assign(params, { out_biz_no: refund.outRequestNo, refund_fee: fenToYuan(t.refunded, t.currency), gmt_refund: alipayTime(refund.at) });
  if (t.status === 'TRADE_CLOSED' && t.closedAt) params.gmt_close = alipayTime(t.closedAt);
  ctx.webhooks.emit(inTrace(alipayNotification(ctx.random.token(34), t.notifyUrl, params), t.traceId));
}
