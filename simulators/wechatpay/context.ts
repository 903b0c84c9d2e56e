import { inTrace, type Behaviour, type IdGenerator, type Ledger, type WebhookDispatcher } from '../core/index.js';
import type { Clock, Random } from '../../src/kernel/index.js';
import type { WechatSigner } from './errors.js';
import type { WechatKeys } from './keys.js';
import { WECHAT_FIRST_NOTIFY_DELAY_MS, wechatNotification, type WechatNotificationInput } from './notify.js';
import type { WechatOrder, WechatRefund, WechatState } from './objects.js';
import { wechatDate, wechatTime } from './time.js';

export interface WechatContext {
  readonly mchid: string;
  readonly appid: string;
  readonly keys: WechatKeys;
  readonly signer: WechatSigner;
  readonly ledger: Ledger;
  readonly state: WechatState;
  readonly behaviour: Behaviour;
  readonly webhooks: WebhookDispatcher;
  readonly ids: IdGenerator;
  readonly random: Random;
  readonly clock: Clock;
  /** When set, the payer pays (or fails) this long after an order is made, on `clock`. */
  readonly payerDelayMs: number | undefined;
  now(): Date;
}

/** The payer confirmed on the phone: the order succeeds — or fails, when a failure was forced. */
export function payerPays(ctx: WechatContext, o: WechatOrder): void {
  if (o.state !== 'NOTPAY' && o.state !== 'USERPAYING') return;
  if (o.failWith) {
    o.state = 'PAYERROR';
    o.stateDesc = o.failWith === 'NOTENOUGH' ? '余额不足' : '支付失败，请重新下单支付';
    return;
  }
  o.state = 'SUCCESS';
  o.stateDesc = '支付成功';
  o.successAt = ctx.now();
  o.transactionId = `42000${ctx.ids.digits(5)}${wechatDate(o.successAt)}${ctx.ids.digits(10)}`;
  ctx.state.byTransactionId.set(o.transactionId, o);
  const common = { paymentId: o.transactionId, orderId: o.outTradeNo, idempotencyKey: o.outTradeNo, amount: o.total, currency: o.currency, traceId: o.traceId };
  ctx.ledger.record({ kind: 'authorization', ...common });
  ctx.ledger.record({ kind: 'capture', ...common });
  notify(ctx, { eventType: 'TRANSACTION.SUCCESS', summary: '支付成功', originalType: 'transaction', resource: transactionResource(o), url: o.notifyUrl }, o.traceId);
}

export function refundSucceeded(ctx: WechatContext, o: WechatOrder, r: WechatRefund, notifyUrl: string | undefined): void {
  r.status = 'SUCCESS';
  r.successAt = ctx.now();
  if (!notifyUrl) return;
  notify(ctx, {
    eventType: 'REFUND.SUCCESS',
    summary: '退款成功',
    originalType: 'refund',
    url: notifyUrl,
    resource: {
      mchid: o.mchid,
      out_trade_no: o.outTradeNo,
      transaction_id: o.transactionId,
      out_refund_no: r.outRefundNo,
      refund_id: r.refundId,
      refund_status: 'SUCCESS',
      success_time: wechatTime(r.successAt),
      user_received_account: '支付用户零钱',
      amount: { total: o.total, refund: r.amount, payer_total: o.total, payer_refund: r.amount },
    },
  }, o.traceId);
}

/** What query answers and TRANSACTION.SUCCESS carries (the decrypted resource). */
export function transactionResource(o: WechatOrder): Record<string, unknown> {
  return {
    appid: o.appid,
    mchid: o.mchid,
    out_trade_no: o.outTradeNo,
    ...(o.transactionId ? { transaction_id: o.transactionId } : {}),
    trade_type: o.tradeType,
    trade_state: o.state,
    trade_state_desc: o.stateDesc,
    ...(o.successAt ? { bank_type: 'OTHERS', success_time: wechatTime(o.successAt) } : {}),
    ...(o.attach !== undefined ? { attach: o.attach } : {}),
    payer: { openid: o.openid },
    amount: o.successAt ? { total: o.total, payer_total: o.total, currency: o.currency, payer_currency: o.currency } : { total: o.total, currency: o.currency },
  };
}

function notify(ctx: WechatContext, input: Omit<WechatNotificationInput, 'id' | 'createTime'>, traceId: string | undefined): void {
  const event = wechatNotification({ ...input, id: uuid(ctx), createTime: wechatTime(ctx.now()) }, ctx.keys.apiV3Key, ctx.random.token(12));
  // The first notification follows the payment by 15 s (simulated), then the ladder.
  ctx.clock.schedule(WECHAT_FIRST_NOTIFY_DELAY_MS, () => ctx.webhooks.emit(inTrace(event, traceId)));
}

function uuid(ctx: WechatContext): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(ctx.random.next() * 16).toString(16)).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20)}`;
}
