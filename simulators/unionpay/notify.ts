import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { inTrace, type WebhookEvent, type WebhookProtocol } from '../core/index.js';
import { respMsg } from './codes.js';
import { upopSign, type UpopFields } from './signature.js';
import type { UnionPayContext, UpopTxn } from './state.js';
import { upopSettleDate, upopTime } from './time.js';

const MINUTE = 60_000;

/**
 * UnionPay's back notification (后台通知): a form-encoded POST of the transaction's fields to
 * the backUrl the request named, signed like an answer (signPubKeyCert included). It counts as
 * delivered when the merchant answers HTTP 200 — whatever the body; anything else is sent again,
 * at growing gaps (1, 2, 4, 8, 16 minutes here; the profile's `webhooks.retrySchedule` replaces
 * them). Only transactions that succeeded are notified.
 */
export const UNIONPAY_NOTIFY_LADDER: readonly number[] = Object.freeze([MINUTE, 2 * MINUTE, 4 * MINUTE, 8 * MINUTE, 16 * MINUTE]);

export function unionPayNotifyProtocol(signKey: KeyObject): WebhookProtocol {
  let wrongKey: KeyObject | undefined;
  return {
    retrySchedule: UNIONPAY_NOTIFY_LADDER,
    accepted: (status) => status === 200,
    render(event, { badSignature }) {
      const fields = { ...(event.payload as UpopFields) };
      // A well-formed signature by a key that is not the one in signPubKeyCert; made on first use.
      const key = badSignature ? (wrongKey ??= generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey) : signKey;
      const signed = { ...fields, signature: upopSign(fields, key) };
      return { body: new URLSearchParams(signed).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' } };
    },
  };
}

/** The fields every answer and notification about `t` carries (without signature). */
export function txnFields(ctx: UnionPayContext, t: UpopTxn, extra: Record<string, string | undefined> = {}): Record<string, string> {
  const out: Record<string, string> = {
    version: '5.1.0',
    encoding: 'UTF-8',
    bizType: '000201',
    txnType: t.txnType,
    txnSubType: t.txnType === '01' ? '01' : '00',
    accessType: '0',
    merId: ctx.merId,
    orderId: t.orderId,
    txnTime: t.txnTime,
    txnAmt: String(t.txnAmt),
    currencyCode: '156',
    queryId: t.queryId,
    signMethod: '01',
    signPubKeyCert: ctx.keys.signCertPem,
  };
  if (t.origQryId !== undefined) out.origQryId = t.origQryId;
  if (t.accNo !== undefined) out.accNo = t.accNo;
  if (t.settledAt) {
    out.settleAmt = String(t.txnAmt);
    out.settleCurrencyCode = '156';
    out.settleDate = upopSettleDate(t.settledAt);
    out.traceNo = t.queryId.slice(-6);
    out.traceTime = upopTime(t.settledAt).slice(4);
  }
  for (const [k, v] of Object.entries(extra)) if (v !== undefined) out[k] = v;
  return out;
}

/** Queue the back notification of a transaction that succeeded (none without a backUrl). */
export function notifySucceeded(ctx: UnionPayContext, t: UpopTxn): void {
  if (t.status !== 'succeeded') return;
  const payload = txnFields(ctx, t, { respCode: '00', respMsg: respMsg('00') });
  const event: WebhookEvent = { id: `${t.queryId}:${t.txnType}`, type: t.txnType === '01' ? 'consume' : t.txnType === '04' ? 'refund' : 'cancel', payload, ...(t.backUrl ? { url: t.backUrl } : {}) };
  ctx.webhooks.emit(inTrace(event, t.traceId));
}
