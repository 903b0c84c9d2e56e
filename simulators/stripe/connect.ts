import type { FastifyInstance, FastifyRequest } from 'fastify';
import { send, type FormObject } from '../core/index.js';
import type { StripeContext } from './context.js';
import { invalidRequest, stripeError } from './errors.js';
import { newestFirst, paginate, isErrorResponse, queryOf } from './lists.js';
import type { ApplicationFee, BalanceTransaction, Charge, FeeRefund, IntentRecord, PaymentIntent, Refund, Transfer, TransferReversal } from './objects.js';
import { optionalString, type Check } from './params.js';

/**
 * Stripe Connect destination charges (docs.stripe.com/connect/destination-charges): a
 * PaymentIntent with `transfer_data[destination]` is charged on the platform, and on capture the
 * captured amount is transferred to the connected account; with `application_fee_amount` that
 * much comes back to the platform as an ApplicationFee.
 *
 *   shopper ──charge──▶ platform ──Transfer (tr_, captured amount)──▶ acct_…
 *                          ▲                                              │
 *                          └────────── ApplicationFee (fee_, its amount) ─┘
 *
 * A split moves money between the platform and a connected account, never to or from the
 * shopper: the shared ledger (what the invariants and reconciliation read) keeps only the
 * charge's capture and refunds; the transfer, the fee and their reversals live here, as balance
 * transactions and objects, and in the settlement report's Connect lines (settlement.ts).
 *
 * Connected accounts are not provisioned in the simulator: any well-formed `acct_…` id is one.
 */
const ACCOUNT_ID = /^acct_[A-Za-z0-9]{1,64}$/;
/** The platform's Connect application, as ApplicationFee.application names it. */
const APPLICATION = 'ca_paychaos_simulator';

/** Validate the Connect parameters of a PaymentIntent create against its `amount`. */
export function checkConnectParams(params: FormObject, amount: number | undefined): Check {
  const data = params.transfer_data;
  let destination: string | undefined;
  if (data !== undefined && data !== '') {
    if (typeof data !== 'object' || Array.isArray(data)) return invalidRequest('Invalid object', 'parameter_invalid_object', 'transfer_data');
    for (const key of Object.keys(data)) {
      if (key !== 'destination') return invalidRequest(`Received unknown parameter: transfer_data[${key}]`, 'parameter_unknown', `transfer_data[${key}]`);
    }
    const d = data.destination;
    if (d === undefined || d === '') return invalidRequest('Missing required param: transfer_data[destination].', 'parameter_missing', 'transfer_data[destination]');
    if (typeof d !== 'string' || !ACCOUNT_ID.test(d)) return invalidRequest(`No such destination: '${typeof d === 'string' ? d : 'object'}'`, 'resource_missing', 'transfer_data[destination]');
    destination = d;
  }
  const fee = params.application_fee_amount;
  if (fee === undefined || fee === '') return undefined;
  if (typeof fee !== 'string' || !/^\d+$/.test(fee)) return invalidRequest(`Invalid integer: ${typeof fee === 'string' ? fee : 'object'}`, 'parameter_invalid_integer', 'application_fee_amount');
  if (!destination) {
    return invalidRequest(
      'Can only apply an application_fee_amount when the PaymentIntent is attempting a direct payment (using an OAuth key or Stripe-Account header) or destination payment (using `transfer_data[destination]`).',
      'parameter_invalid_integer',
      'application_fee_amount',
    );
  }
  if (amount !== undefined && Number(fee) > amount) {
    return invalidRequest(`The application fee amount (${fee}) cannot be greater than the amount (${amount}).`, 'amount_too_large', 'application_fee_amount');
  }
  return undefined;
}

/** The intent's Connect fields from validated create parameters. */
export function connectFieldsOf(params: FormObject): Pick<PaymentIntent, 'transfer_data' | 'application_fee_amount'> {
  const data = params.transfer_data;
  const destination = data && typeof data === 'object' && !Array.isArray(data) && typeof data.destination === 'string' ? data.destination : undefined;
  const fee = optionalString(params, 'application_fee_amount');
  return { transfer_data: destination ? { destination } : null, application_fee_amount: destination && fee !== undefined ? Number(fee) : null };
}

/** A capture of `amount` would leave less than the application fee: Stripe refuses the capture. */
export function checkCaptureCoversFee(intent: PaymentIntent, amount: number): Check {
  const fee = intent.application_fee_amount;
  if (fee === null || amount >= fee) return undefined;
  return invalidRequest(`The amount to capture (${amount}) must be at least the application fee amount (${fee}).`, 'amount_too_small', 'amount_to_capture');
}

/** Mark a new charge of a destination intent (before capture: no transfer yet). */
export function describeDestination(intent: PaymentIntent, charge: Charge): void {
  charge.transfer_data = intent.transfer_data ? { destination: intent.transfer_data.destination, amount: null } : null;
  charge.application_fee_amount = intent.application_fee_amount;
  charge.transfer = null;
  charge.application_fee = null;
}

/** On capture of a destination charge: the Transfer of what was captured and the ApplicationFee. */
export function splitOnCapture(ctx: StripeContext, rec: IntentRecord, charge: Charge): void {
  const destination = rec.intent.transfer_data?.destination;
  if (!destination || charge.transfer) return;
  const created = ctx.nowS();
  const transfer: Transfer = {
    id: ctx.ids.next('tr'),
    object: 'transfer',
    amount: charge.amount_captured,
    amount_reversed: 0,
    reversed: false,
    currency: charge.currency,
    destination,
    destination_payment: ctx.ids.next('py'),
    source_transaction: charge.id,
    source_type: 'card',
    transfer_group: `group_${rec.intent.id}`,
    balance_transaction: '',
    reversals: { object: 'list', data: [], has_more: false, url: '', total_count: 0 },
    description: null,
    metadata: {},
    created,
    livemode: false,
  };
  transfer.reversals.url = `/v1/transfers/${transfer.id}/reversals`;
  transfer.balance_transaction = balanceTxn(ctx, -transfer.amount, charge.currency, 'transfer', 'transfer', transfer.id);
  ctx.state.transfers.set(transfer.id, transfer);
  charge.transfer = transfer.id;
  const amount = rec.intent.application_fee_amount;
  if (amount === null) return;
  const fee: ApplicationFee = {
    id: ctx.ids.next('fee'),
    object: 'application_fee',
    account: destination,
    amount,
    amount_refunded: 0,
    refunded: false,
    application: APPLICATION,
    charge: charge.id,
    currency: charge.currency,
    balance_transaction: '',
    originating_transaction: null,
    refunds: { object: 'list', data: [], has_more: false, url: '', total_count: 0 },
    created,
    livemode: false,
  };
  fee.refunds.url = `/v1/application_fees/${fee.id}/refunds`;
  fee.balance_transaction = balanceTxn(ctx, amount, charge.currency, 'application_fee', 'platform_earning', fee.id);
  ctx.state.applicationFees.set(fee.id, fee);
  charge.application_fee = fee.id;
}

/**
 * `reverse_transfer` and `refund_application_fee` of a refund: each must have something to act on
 * (a destination charge's transfer, its fee).
 */
export function checkRefundSplits(params: FormObject, charge: Charge | undefined): Check {
  for (const name of ['reverse_transfer', 'refund_application_fee'] as const) {
    const v = params[name];
    if (v !== undefined && v !== 'true' && v !== 'false') return invalidRequest(`Invalid boolean: ${typeof v === 'string' ? v : 'object'}`, 'parameter_invalid_boolean', name);
  }
  if (!charge) return undefined;
  if (params.reverse_transfer === 'true' && !charge.transfer) {
    return invalidRequest(`The charge ${charge.id} has no transfer to reverse: reverse_transfer applies only to a destination charge (transfer_data[destination]).`, 'parameter_invalid_boolean', 'reverse_transfer');
  }
  if (params.refund_application_fee === 'true' && !charge.application_fee) {
    return invalidRequest(`The charge ${charge.id} has no application fee to refund: refund_application_fee applies only to a charge with application_fee_amount.`, 'parameter_invalid_boolean', 'refund_application_fee');
  }
  return undefined;
}

/**
 * A refund of a destination charge: by default the platform bears it alone (Stripe's rule: the
 * transfer stays, the fee stays). `reverse_transfer=true` takes back from the connected account a
 * share of the transfer proportional to the refund, and `refund_application_fee=true` gives back
 * that share of the fee; the charge's last refund takes back exactly what is left, so shares
 * never drift from the whole by rounding.
 */
export function splitOnRefund(ctx: StripeContext, params: FormObject, charge: Charge, refund: Refund): void {
  const done: { reversal?: TransferReversal; feeRefund?: FeeRefund } = {};
  const last = charge.amount_refunded === charge.amount_captured;
  const share = (whole: number, already: number): number => (last ? whole - already : Math.min(whole - already, Math.round((whole * refund.amount) / charge.amount_captured)));
  const transfer = charge.transfer ? ctx.state.transfers.get(charge.transfer) : undefined;
  if (params.reverse_transfer === 'true' && transfer) {
    const amount = share(transfer.amount, transfer.amount_reversed);
    if (amount > 0) {
      const reversal: TransferReversal = {
        id: ctx.ids.next('trr'),
        object: 'transfer_reversal',
        amount,
        currency: transfer.currency,
        transfer: transfer.id,
        balance_transaction: balanceTxn(ctx, amount, transfer.currency, 'transfer_refund', 'transfer_reversal', ''),
        source_refund: refund.id,
        destination_payment_refund: ctx.ids.next('pyr'),
        metadata: {},
        created: ctx.nowS(),
      };
      ctx.state.balanceTransactions.get(reversal.balance_transaction)!.source = reversal.id;
      transfer.reversals.data.unshift(reversal);
      transfer.reversals.total_count += 1;
      transfer.amount_reversed += amount;
      transfer.reversed = transfer.amount_reversed === transfer.amount;
      refund.transfer_reversal = reversal.id;
      done.reversal = reversal;
    }
  }
  const fee = charge.application_fee ? ctx.state.applicationFees.get(charge.application_fee) : undefined;
  if (params.refund_application_fee === 'true' && fee) {
    const amount = share(fee.amount, fee.amount_refunded);
    if (amount > 0) {
      const feeRefund: FeeRefund = {
        id: ctx.ids.next('fr'),
        object: 'fee_refund',
        amount,
        currency: fee.currency,
        fee: fee.id,
        balance_transaction: '',
        metadata: {},
        created: ctx.nowS(),
      };
      feeRefund.balance_transaction = balanceTxn(ctx, -amount, fee.currency, 'application_fee_refund', 'platform_earning_refund', feeRefund.id);
      fee.refunds.data.unshift(feeRefund);
      fee.refunds.total_count += 1;
      fee.amount_refunded += amount;
      fee.refunded = fee.amount_refunded === fee.amount;
      done.feeRefund = feeRefund;
    }
  }
  if (done.reversal || done.feeRefund) ctx.state.refundSplits.set(refund.id, done);
}

/** A balance transaction of a Connect movement (no ledger entry: the shopper's money did not move). */
function balanceTxn(ctx: StripeContext, amount: number, currency: string, type: BalanceTransaction['type'], category: BalanceTransaction['reporting_category'], source: string): string {
  const created = ctx.nowS();
  const txn: BalanceTransaction = { id: ctx.ids.next('txn'), object: 'balance_transaction', amount, currency, fee: 0, fee_details: [], net: amount, status: 'available', type, reporting_category: category, source, created, available_on: created };
  ctx.state.balanceTransactions.set(txn.id, txn);
  return txn.id;
}

type IdRequest = FastifyRequest<{ Params: { id: string } }>;

/** `GET /v1/transfers[/:id]` (filter `destination`) and `GET /v1/application_fees[/:id]` (filter `charge`). */
export function registerConnect(app: FastifyInstance, ctx: StripeContext): void {
  app.get('/v1/transfers/:id', async (req: IdRequest, reply) => ctx.state.transfers.get(req.params.id) ?? send(reply, notFound('transfer', req.params.id)));
  app.get('/v1/application_fees/:id', async (req: IdRequest, reply) => ctx.state.applicationFees.get(req.params.id) ?? send(reply, notFound('application fee', req.params.id)));
  app.get('/v1/transfers', async (req, reply) => {
    const params = queryOf(req);
    const destination = optionalString(params, 'destination');
    const items = newestFirst(ctx.state.transfers).filter((t) => destination === undefined || t.destination === destination);
    const page = paginate(items, params, '/v1/transfers', 'transfer');
    return isErrorResponse(page) ? send(reply, page) : page;
  });
  // Separate charges and transfers (a platform moving money on its own) are not simulated.
  app.post('/v1/transfers', async (req, reply) =>
    send(reply, {
      status: 404,
      body: stripeError('invalid_request_error', `Unrecognized request URL (POST: ${req.url.split('?')[0]}). The paychaos Stripe simulator creates transfers only from destination charges (transfer_data[destination]); simulators/README.md lists what it does.`),
    }),
  );
  app.get('/v1/application_fees', async (req, reply) => {
    const params = queryOf(req);
    const charge = optionalString(params, 'charge');
    const items = newestFirst(ctx.state.applicationFees).filter((f) => charge === undefined || f.charge === charge);
    const page = paginate(items, params, '/v1/application_fees', 'application_fee');
    return isErrorResponse(page) ? send(reply, page) : page;
  });
}

function notFound(object: string, id: string) {
  return { status: 404, body: stripeError('invalid_request_error', `No such ${object}: '${id}'`, { code: 'resource_missing', param: 'id' }) };
}
