import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { maskCardNumbers } from '../../src/kernel/index.js';
import { traceIdOf } from '../core/index.js';
import { UNIONPAY_IN_PROGRESS, respMsg } from './codes.js';
import { notifySucceeded, txnFields } from './notify.js';
import { upopAnswerBody, upopSign, upopVerify, type UpopFields } from './signature.js';
import { txnKey, type TxnType, type UnionPayContext, type UpopTxn } from './state.js';
import { openCashier } from './cashier.js';
import { isUpopTime, upopTime } from './time.js';

/**
 * The UnionPay online gateway's server-to-server and browser entry points:
 *
 *   POST /gateway/api/backTransReq.do   consume (01), refund (04), consume cancel (31) — a signed
 *                                       `k=v&…` answer, always HTTP 200
 *   POST /gateway/api/frontTransReq.do  consume through the cardholder's browser: the cashier page
 *   POST /gateway/api/queryTrans.do     query (00) by orderId + txnTime, or queryId
 *
 * Each request passes: common fields ─▶ certId and signature (merchant certificate) ─▶ merId
 * ─▶ the transaction's own fields ─▶ processing delay ─▶ the transaction ─▶ signed answer.
 */
const MAX_FEN = 99_999_999_999;

export function registerGateway(app: FastifyInstance, ctx: UnionPayContext): void {
  app.post('/gateway/api/backTransReq.do', (req, reply) => handle(req, reply, ctx, 'back'));
  app.post('/gateway/api/frontTransReq.do', (req, reply) => handle(req, reply, ctx, 'front'));
  app.post('/gateway/api/queryTrans.do', (req, reply) => handle(req, reply, ctx, 'query'));
}

type Entry = 'back' | 'front' | 'query';

/** The request's fields as strings (a form field given twice or nested is not a UnionPay field). */
function fieldsOf(req: FastifyRequest): Record<string, string> | undefined {
  const body = req.body;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return undefined;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(body as Record<string, unknown>)) {
    if (typeof v !== 'string') return undefined;
    out[k] = v;
  }
  return out;
}

/** A signed answer echoing the request's identifying fields with `respCode`. */
export function answer(ctx: UnionPayContext, fields: Record<string, string>): string {
  const base: Record<string, string> = { ...fields, signMethod: '01', signPubKeyCert: ctx.keys.signCertPem };
  delete base.signature;
  return upopAnswerBody({ ...base, signature: upopSign(base, ctx.keys.signKey) });
}

const ECHOED = ['version', 'encoding', 'bizType', 'txnType', 'txnSubType', 'accessType', 'merId', 'orderId', 'txnTime', 'txnAmt', 'currencyCode', 'origQryId'] as const;

function echo(sent: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  // Ids, times and amounts: a glued digit run there is the merchant's own number (a txnTime can
  // pass Luhn); a card number written with separators is still masked.
  for (const k of ECHOED) if (sent[k] !== undefined) out[k] = maskCardNumbers(sent[k], true);
  return out;
}

function refuse(ctx: UnionPayContext, sent: Readonly<Record<string, string>>, code: string, detail?: string): string {
  return answer(ctx, { ...echo(sent), respCode: code, respMsg: detail ? `${respMsg(code)}[${detail}]` : respMsg(code) });
}

async function handle(req: FastifyRequest, reply: FastifyReply, ctx: UnionPayContext, entry: Entry): Promise<FastifyReply> {
  const send = (body: string): FastifyReply => reply.code(200).header('content-type', 'text/plain;charset=UTF-8').send(body);
  const sent = fieldsOf(req);
  if (!sent) return send(refuse(ctx, {}, '10', 'body is not a form of key=value fields'));
  const common = checkCommon(ctx, sent);
  if (common) return send(refuse(ctx, sent, common.code, common.detail));
  const traceId = traceIdOf(req.headers);

  const delay = ctx.behaviour.processingDelayMs();
  if (delay > 0) await sleep(delay);

  if (entry === 'query') return send(query(ctx, sent));
  if (entry === 'front') {
    if (sent.txnType !== '01') return send(refuse(ctx, sent, '10', 'txnType: frontTransReq takes 01 (consume)'));
    const result = consume(ctx, sent, 'front', traceId);
    if (typeof result === 'string') return send(result);
    return openCashier(ctx, result, reply);
  }
  let result: string | UpopTxn;
  if (sent.txnType === '01') result = consume(ctx, sent, 'back', traceId);
  else if (sent.txnType === '04' || sent.txnType === '31') result = giveBack(ctx, sent, sent.txnType, traceId);
  else return send(refuse(ctx, sent, '10', `txnType: backTransReq takes 01, 04 or 31, got ${sent.txnType}`));
  if (typeof result === 'string') return send(result);
  // "Charged, then 500": the transaction happened, the caller sees an error and must query.
  const status = ctx.behaviour.commitThenError();
  if (status !== undefined && result.status === 'succeeded') return reply.code(status).header('content-type', 'text/html').send(`<html><body><h1>${status}</h1></body></html>`);
  return send(answer(ctx, txnFields(ctx, result, { respCode: result.respCode, respMsg: respMsg(result.respCode) })));
}

/** The fields every request has, and its signature. */
function checkCommon(ctx: UnionPayContext, f: Readonly<Record<string, string>>): { code: string; detail?: string } | undefined {
  for (const name of ['version', 'encoding', 'signMethod', 'certId', 'signature', 'txnType', 'txnSubType', 'bizType', 'accessType', 'merId']) {
    if (!f[name]) return { code: '13', detail: name };
  }
  if (f.version !== '5.1.0') return { code: '10', detail: `version: this gateway speaks 5.1.0, got ${f.version}` };
  if (f.encoding!.toUpperCase() !== 'UTF-8') return { code: '10', detail: 'encoding: UTF-8' };
  if (f.signMethod !== '01') return { code: '10', detail: 'signMethod: 01 (RSA) is the one taken' };
  if (f.certId !== ctx.keys.merchantCertId) return { code: '11', detail: `certId ${f.certId} is not the merchant's certificate` };
  if (!upopVerify(f as UpopFields, ctx.keys.merchantKey)) return { code: '11' };
  if (f.merId !== ctx.merId) return { code: '31', detail: `merId ${f.merId}` };
  if (f.accessType !== '0') return { code: '32', detail: 'accessType: 0 (merchant direct) is the one taken' };
  return undefined;
}

/** orderId + txnTime, as every transaction names itself. */
function checkOrder(f: Readonly<Record<string, string>>): string | undefined {
  if (!f.orderId || !/^[A-Za-z0-9]{8,40}$/.test(f.orderId)) return 'orderId: 8–40 letters or digits (no - or _)';
  if (!f.txnTime || !isUpopTime(f.txnTime)) return 'txnTime: yyyyMMddHHmmss, Beijing time';
  return undefined;
}

function checkAmount(f: Readonly<Record<string, string>>): string | undefined {
  if (!f.txnAmt || !/^[1-9]\d{0,11}$/.test(f.txnAmt) || Number(f.txnAmt) > MAX_FEN) return 'txnAmt: whole fen, > 0, at most 12 digits';
  if (f.currencyCode !== '156') return 'currencyCode: 156 (CNY) is the one taken';
  return undefined;
}

function newTxn(ctx: UnionPayContext, f: Readonly<Record<string, string>>, txnType: TxnType, channel: 'front' | 'back', traceId: string | undefined): UpopTxn {
  return {
    txnType,
    orderId: f.orderId!,
    txnTime: f.txnTime!,
    // 21 digits, like UnionPay's: the Beijing time to the second and 7 more.
    queryId: `${upopTime(ctx.now())}${ctx.ids.digits(7)}`,
    txnAmt: Number(f.txnAmt),
    channel,
    backUrl: f.backUrl || undefined,
    frontUrl: f.frontUrl || undefined,
    origQryId: f.origQryId || undefined,
    traceId,
    createdAt: ctx.now(),
    status: 'processing',
    respCode: '05',
    returned: 0,
    accNo: undefined,
    settledAt: undefined,
  };
}

/**
 * A consume. A back consume ends at once (00, or the forced decline), or answers 03/04/05 and
 * succeeds `processingMs` later; a front consume waits for the cardholder on the cashier page.
 */
function consume(ctx: UnionPayContext, f: Readonly<Record<string, string>>, channel: 'front' | 'back', traceId: string | undefined): string | UpopTxn {
  const bad = checkOrder(f) ?? checkAmount(f) ?? (f.txnSubType !== '01' ? 'txnSubType: 01 for a consume' : undefined) ?? (!f.backUrl ? 'backUrl' : undefined) ?? (channel === 'front' && !f.frontUrl ? 'frontUrl' : undefined);
  if (bad) return refuse(ctx, f, bad === 'backUrl' || bad === 'frontUrl' ? '13' : '10', bad);
  if (channel === 'back' && f.accNo !== undefined && !/^\d{13,19}$/.test(f.accNo)) return refuse(ctx, f, '61');
  const existing = ctx.state.byKey.get(txnKey(f.orderId!, f.txnTime!));
  if (existing) {
    // The cardholder's browser resubmitting a front consume not yet paid meets the same cashier.
    if (channel === 'front' && existing.channel === 'front' && existing.status === 'awaiting') return existing;
    return refuse(ctx, f, '12');
  }
  const forced = channel === 'back' ? ctx.behaviour.drawOutcome(f.orderId!) : undefined;
  // Busy before anything was made: no transaction; a query finds nothing (34).
  if (forced === '06') return refuse(ctx, f, '06');
  const t = newTxn(ctx, f, '01', channel, traceId);
  if (f.accNo) t.accNo = maskPan(f.accNo);
  ctx.state.add(t);
  if (channel === 'front') {
    t.status = 'awaiting';
    if (ctx.shopperDelayMs !== undefined) ctx.later(ctx.shopperDelayMs, current(ctx, t.queryId, (now) => cardholderPays(ctx, now, TEST_CARD)));
    return t;
  }
  if (forced === undefined) {
    settleConsume(ctx, t);
    return t;
  }
  if (UNIONPAY_IN_PROGRESS.has(forced)) {
    t.respCode = forced;
    ctx.later(ctx.processingMs, current(ctx, t.queryId, (now) => settleConsume(ctx, now)));
    return t;
  }
  t.status = 'failed';
  t.respCode = forced;
  return t;
}

/** UnionPay's published test debit card (the test environment's 平安银行 card). */
export const TEST_CARD = '6216261000000000018';

export function maskPan(pan: string): string {
  return `${pan.slice(0, 6)}${'*'.repeat(Math.max(0, pan.length - 10))}${pan.slice(-4)}`;
}

/** The cardholder paid a front consume on the cashier page (or the shopper delay ran out). */
export function cardholderPays(ctx: UnionPayContext, t: UpopTxn, pan: string): void {
  if (t.status !== 'awaiting') return;
  t.accNo = maskPan(pan);
  const forced = ctx.behaviour.drawOutcome(t.orderId);
  if (forced === undefined || UNIONPAY_IN_PROGRESS.has(forced) || forced === '06') return settleConsume(ctx, t);
  t.status = 'failed';
  t.respCode = forced;
}

/** Money moved: ledger first, then the notification. */
function settleConsume(ctx: UnionPayContext, t: UpopTxn): void {
  if (t.status === 'succeeded' || t.status === 'failed') return;
  t.status = 'succeeded';
  t.respCode = '00';
  t.settledAt = ctx.now();
  const common = { paymentId: t.queryId, orderId: t.orderId, idempotencyKey: txnKey(t.orderId, t.txnTime), amount: t.txnAmt, currency: 'CNY', traceId: t.traceId };
  // A UnionPay consume is authorised and captured at once.
  ctx.ledger.record({ kind: 'authorization', ...common });
  ctx.ledger.record({ kind: 'capture', ...common });
  notifySucceeded(ctx, t);
}

/**
 * A refund (04: any part of what is left, any day) or a consume cancel (31: the whole amount,
 * the same Beijing day as the consume, before any refund). Both are transactions of their own
 * (own orderId + txnTime) naming the consume by origQryId; both give money back, so both are
 * refunds in the ledger. UnionPay answers 00 for "accepted"; here they also end at once, and the
 * notification follows.
 */
function giveBack(ctx: UnionPayContext, f: Readonly<Record<string, string>>, txnType: '04' | '31', traceId: string | undefined): string | UpopTxn {
  const bad = checkOrder(f) ?? checkAmount(f) ?? (f.txnSubType !== '00' ? 'txnSubType: 00 for a refund or cancel' : undefined);
  if (bad) return refuse(ctx, f, '10', bad);
  if (!f.origQryId) return refuse(ctx, f, '13', 'origQryId');
  if (!f.backUrl) return refuse(ctx, f, '13', 'backUrl');
  if (ctx.state.byKey.get(txnKey(f.orderId!, f.txnTime!))) return refuse(ctx, f, '12');
  const orig = ctx.state.byQueryId.get(f.origQryId);
  if (!orig || orig.txnType !== '01' || orig.status !== 'succeeded') return refuse(ctx, f, '35');
  const amount = Number(f.txnAmt);
  const left = orig.txnAmt - orig.returned;
  if (txnType === '31') {
    if (amount !== orig.txnAmt) return refuse(ctx, f, '36', 'txnAmt: a cancel gives back the whole consume');
    if (orig.returned > 0) return refuse(ctx, f, '35', 'the consume was refunded: refund the rest instead');
    if (upopTime(ctx.now()).slice(0, 8) !== upopTime(orig.createdAt).slice(0, 8)) return refuse(ctx, f, '35', 'a cancel is for the consume day only: refund instead');
  } else if (amount > left) {
    return refuse(ctx, f, '36', `txnAmt: at most ${left} fen is left to refund`);
  }
  const t = newTxn(ctx, f, txnType, 'back', traceId);
  ctx.state.add(t);
  orig.returned += amount;
  t.status = 'succeeded';
  t.respCode = '00';
  t.settledAt = ctx.now();
  ctx.ledger.record({ kind: 'refund', paymentId: orig.queryId, orderId: orig.orderId, idempotencyKey: txnKey(t.orderId, t.txnTime), amount, currency: 'CNY', traceId, reference: t.queryId });
  notifySucceeded(ctx, t);
  return t;
}

/**
 * Query (txnType 00): respCode says whether the query worked (00) or found nothing (34);
 * origRespCode is the transaction's own code: 00 succeeded, 03/04/05 not ended, others failed.
 */
function query(ctx: UnionPayContext, f: Readonly<Record<string, string>>): string {
  if (f.txnType !== '00') return refuse(ctx, f, '10', 'txnType: queryTrans takes 00');
  let t: UpopTxn | undefined;
  if (f.queryId) t = ctx.state.byQueryId.get(f.queryId);
  else {
    const bad = checkOrder(f);
    if (bad) return refuse(ctx, f, '10', `${bad} (or give queryId)`);
    t = ctx.state.byKey.get(txnKey(f.orderId!, f.txnTime!));
  }
  if (!t || t.status === 'awaiting') return refuse(ctx, f, '34');
  const orig = t.respCode;
  return answer(ctx, txnFields(ctx, t, { txnType: '00', txnSubType: '00', origTxnType: t.txnType, respCode: '00', respMsg: respMsg('00'), origRespCode: orig, origRespMsg: respMsg(orig) }));
}

/**
 * A timer's callback on the transaction as it is when the timer fires, looked up again rather
 * than held: it may have been spilled to disk and read back meanwhile (state.ts), and a held copy
 * would settle or pay it a second time.
 */
function current(ctx: UnionPayContext, queryId: string, then: (t: UpopTxn) => void): () => void {
  return () => {
    const t = ctx.state.byQueryId.get(queryId);
    if (t !== undefined) then(t);
  };
}
