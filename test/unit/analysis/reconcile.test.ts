import { describe, expect, it } from 'vitest';
import {
  checkLedgerBalances,
  checkReconciliationClean,
  checkRefundsWithinCaptures,
  checkVoidNeverCaptured,
  filterRows,
  formatSummary,
  parseBooks,
  parseCsv,
  parseSettlement,
  reconcile,
  statementCsv,
  summarise,
  tallyByProvider,
  type BookEntry,
  type LedgerRow,
  type SettlementRecord,
} from '../../../src/analysis/index.js';

const book = (over: Partial<BookEntry> & Pick<BookEntry, 'kind' | 'amount'>): BookEntry => ({
  paymentId: 'pay_1', orderId: 'order-1', provider: 'stripe', providerPaymentId: 'pi_1', paymentMethod: 'card', reference: over.kind, currency: 'EUR', bookedAt: '2026-11-11T10:00:00.000Z', ...over,
});
const line = (over: Partial<SettlementRecord> & Pick<SettlementRecord, 'kind' | 'amount'>): SettlementRecord => ({
  provider: 'stripe', providerRef: 'pi_1', merchantRef: 'order-1', movementRef: over.kind === 'refund' ? 're_1' : 'ch_1', currency: 'EUR', fee: 0, net: over.kind === 'refund' ? -over.amount : over.amount, settlesOn: '2026-11-13', source: 'f:2', ...over,
});
const kinds = (books: BookEntry[], lines: SettlementRecord[]) => reconcile(books, lines).rows.flatMap((r) => r.mismatches.map((m) => [m.kind, m.movement, m.ours, m.theirs]));

describe('reconcile: the books against settlement lines, payment by payment, net of refunds', () => {
  it('matches a capture and a partial refund on both sides', () => {
    const r = reconcile([book({ kind: 'capture', amount: 1000 }), book({ kind: 'refund', amount: 300, reference: 're_x' })], [line({ kind: 'capture', amount: 1000, fee: 59, net: 941 }), line({ kind: 'refund', amount: 300 })]);
    expect(r.rows).toHaveLength(1);
    expect(r.rows[0]).toMatchObject({ status: ['matched'], ourCaptured: 1000, ourRefunded: 300, theirCaptured: 1000, theirRefunded: 300, theirFee: 59, theirNet: 641, settlesOn: '2026-11-13', paymentMethod: 'card' });
  });

  it('reports money the books lack (missing-ours)', () => {
    expect(kinds([], [line({ kind: 'capture', amount: 1000 })])).toEqual([['missing-ours', 'payment', undefined, 1000]]);
  });

  it('reports money the report lacks, whole payments and refunds alike (missing-theirs)', () => {
    expect(reconcile([book({ kind: 'capture', amount: 1000 })], [], ['stripe']).rows.flatMap((r) => r.mismatches.map((m) => [m.kind, m.movement, m.ours]))).toEqual([['missing-theirs', 'payment', 1000]]);
    // Without saying which reports were read, a provider without lines is not judged.
    expect(reconcile([book({ kind: 'capture', amount: 1000 })], []).unreconciled).toEqual({ stripe: 1 });
    expect(kinds([book({ kind: 'capture', amount: 1000 }), book({ kind: 'refund', amount: 200 })], [line({ kind: 'capture', amount: 1000 })])).toEqual([['missing-theirs', 'refund', 200, 0]]);
  });

  it('reports an amount off, and a currency off', () => {
    expect(kinds([book({ kind: 'capture', amount: 1000 })], [line({ kind: 'capture', amount: 993 })])).toEqual([['amount-mismatch', 'capture', 1000, 993]]);
    expect(kinds([book({ kind: 'capture', amount: 1000 })], [line({ kind: 'capture', amount: 1000, currency: 'USD' })])).toEqual([['currency-mismatch', 'payment', undefined, undefined]]);
  });

  it('reports a line listed twice once, as a duplicate, and compares the rest', () => {
    expect(kinds([book({ kind: 'capture', amount: 1000 })], [line({ kind: 'capture', amount: 1000 }), line({ kind: 'capture', amount: 1000 })])).toEqual([['duplicate', 'capture', undefined, 1000]]);
  });

  it('matches disputes net of reversals: a chargeback booked on one side only is missing on the other', () => {
    const theirs = [line({ kind: 'capture', amount: 1000 }), line({ kind: 'chargeback', amount: 1000, movementRef: 'dp_1', net: -1000 }), line({ kind: 'chargeback', amount: 300, movementRef: 'dp_2', net: -300 }), line({ kind: 'chargeback_reversal', amount: 300, movementRef: 'dp_2', net: 300 })];
    const booked = [book({ kind: 'capture', amount: 1000 }), book({ kind: 'chargeback', amount: 1000, reference: 'dp_1' })];
    const r = reconcile(booked, theirs);
    expect(r.rows[0]).toMatchObject({ status: ['matched'], ourChargedBack: 1000, theirChargedBack: 1000, theirNet: 0 });
    expect(kinds([book({ kind: 'capture', amount: 1000 })], theirs)).toEqual([['missing-ours', 'chargeback', 0, 1000]]);
    expect(kinds(booked, [line({ kind: 'capture', amount: 1000 })])).toEqual([['missing-theirs', 'chargeback', 1000, 0]]);
    expect(kinds([book({ kind: 'capture', amount: 1000 }), book({ kind: 'chargeback', amount: 900, reference: 'dp_1' })], theirs)).toEqual([['amount-mismatch', 'chargeback', 900, 1000]]);
  });

  it('judges fees only where the books state one', () => {
    expect(kinds([book({ kind: 'capture', amount: 1000 })], [line({ kind: 'capture', amount: 1000, fee: 59 })])).toEqual([]);
    expect(kinds([book({ kind: 'capture', amount: 1000, fee: 59 })], [line({ kind: 'capture', amount: 1000, fee: 59 })])).toEqual([]);
    expect(kinds([book({ kind: 'capture', amount: 1000, fee: 30 })], [line({ kind: 'capture', amount: 1000, fee: 59 })])).toEqual([['fee-mismatch', 'fee', 30, 59]]);
    // A fee given back with a refund (Alipay, WeChat Pay) nets against the capture's, on both sides.
    const back = [line({ kind: 'capture', amount: 1000, fee: 6 }), line({ kind: 'refund', amount: 500, fee: -3 })];
    expect(kinds([book({ kind: 'capture', amount: 1000, fee: 6 }), book({ kind: 'refund', amount: 500, fee: -3, reference: 're_x' })], back)).toEqual([]);
    expect(kinds([book({ kind: 'capture', amount: 1000, fee: 6 }), book({ kind: 'refund', amount: 500, reference: 're_x' })], back)).toEqual([['fee-mismatch', 'fee', 6, 3]]);
    // A dispute fee counts with the capture's whichever the books hold first: a chargeback notification can land before the capture's.
    const disputed = [line({ kind: 'capture', amount: 1000, fee: 59 }), line({ kind: 'chargeback', amount: 1000, fee: 1500, movementRef: 'dp_1', net: -2500 })];
    const chargeback = book({ kind: 'chargeback', amount: 1000, fee: 1500, reference: 'dp_1' });
    expect(kinds([book({ kind: 'capture', amount: 1000, fee: 59 }), chargeback], disputed)).toEqual([]);
    expect(kinds([chargeback, book({ kind: 'capture', amount: 1000, fee: 59 })], disputed)).toEqual([]);
    expect(kinds([chargeback, book({ kind: 'capture', amount: 1000 })], disputed)).toEqual([]);
  });

  it('falls back to the merchant reference when the books have no provider payment id, and leaves providers without a report alone', () => {
    const { providerPaymentId: _, ...noRef } = book({ kind: 'capture', amount: 1000, providerReference: 'out-77' });
    const r = reconcile([noRef, book({ kind: 'capture', amount: 5, provider: 'wiremock:localwallet' })], [line({ kind: 'capture', amount: 1000, providerRef: 'T2026', merchantRef: 'out-77' })]);
    expect(r.rows.map((row) => row.status)).toEqual([['matched']]);
    expect(r.unreconciled).toEqual({ 'wiremock:localwallet': 1 });
  });
});

describe('reconcile: movements the provider has not paid out yet (its cycle has not elapsed)', () => {
  const capture = book({ kind: 'capture', amount: 1000 });
  const refund = book({ kind: 'refund', amount: 300, reference: 're_x' });
  const later = (over: Partial<SettlementRecord> & Pick<SettlementRecord, 'kind' | 'amount'>) => line({ settlesOn: '2026-11-18', source: 'pending:2', ...over });

  it('reports a whole payment scheduled for a later day as not yet due, with the day, and no mismatch', () => {
    const r = reconcile([capture], [], ['stripe'], [later({ kind: 'capture', amount: 1000 })]);
    expect(r.rows[0]).toMatchObject({ status: ['not-yet-due'], mismatches: [], notYetDue: [{ movement: 'capture', amount: 1000, settlesOn: '2026-11-18' }] });
    expect(r.rows[0]!.notYetDue![0]!.message).toBe('capture of 1000 EUR on pi_1 (order order-1): not yet due, settles 2026-11-18');
    expect(checkReconciliationClean(r).passed).toBe(true);
    expect(summarise(r)).toMatchObject({ payments: 1, matched: 1, mismatches: 0, notYetDue: 1 });
    expect(statementCsv(r.rows)).toContain(',not-yet-due,"capture of 1000 EUR on pi_1 (order order-1): not yet due, settles 2026-11-18"');
  });

  it('keeps a paid-out capture matched and its later refund not yet due', () => {
    const r = reconcile([capture, refund], [line({ kind: 'capture', amount: 1000 })], ['stripe'], [later({ kind: 'refund', amount: 300, movementRef: 're_1' })]);
    expect(r.rows[0]).toMatchObject({ status: ['not-yet-due'], mismatches: [], theirCaptured: 1000, theirRefunded: 0, notYetDue: [{ movement: 'refund', amount: 300 }] });
  });

  it('still calls an overdue movement (its day passed, the file lacks it: a late file) missing on theirs', () => {
    // The negative control: the same books, nothing in the file and nothing scheduled.
    const r = reconcile([capture], [], ['stripe'], []);
    expect(r.rows[0]!.status).toEqual(['missing-theirs']);
    expect(checkReconciliationClean(r).passed).toBe(false);
  });

  it('does not let a schedule excuse a gap it does not cover: the amount the provider states in all is compared', () => {
    const r = reconcile([capture], [], ['stripe'], [later({ kind: 'capture', amount: 993 })]);
    expect(r.rows[0]!.mismatches.map((m) => [m.kind, m.ours, m.theirs])).toEqual([['amount-mismatch', 1000, 993]]);
    expect(r.rows[0]!.mismatches[0]!.message).toContain('(993 of it not yet due, settles 2026-11-18)');
    // Another payment's schedule excuses nothing.
    expect(reconcile([capture], [], ['stripe'], [later({ kind: 'capture', amount: 1000, providerRef: 'pi_2', merchantRef: 'order-2' })]).rows.find((row) => row.providerRef === 'pi_1')!.status).toEqual(['missing-theirs']);
  });

  it('judges the fee of what is scheduled too', () => {
    const r = reconcile([book({ kind: 'capture', amount: 1000, fee: 59 })], [], ['stripe'], [later({ kind: 'capture', amount: 1000, fee: 66 })]);
    expect(r.rows[0]!.mismatches.map((m) => [m.kind, m.ours, m.theirs])).toEqual([['fee-mismatch', 59, 66]]);
  });
});

describe('the statement', () => {
  const result = reconcile(
    [book({ kind: 'capture', amount: 1000 }), book({ kind: 'capture', amount: 2000, paymentId: 'pay_2', orderId: 'order-2', providerPaymentId: 'pi_2', paymentMethod: 'wallet', bookedAt: '2026-11-12T10:00:00.000Z' })],
    [line({ kind: 'capture', amount: 1000, fee: 59, net: 941 }), line({ kind: 'capture', amount: 1990, providerRef: 'pi_2', merchantRef: 'order-2', movementRef: 'ch_2' })],
  );

  it('writes one row per payment in major units, with its status and what is wrong', () => {
    expect(statementCsv(result.rows).split('\r\n')).toEqual([
      'provider,order_id,provider_reference,payment_method,booked_at,currency,our_captured,our_refunded,our_charged_back,our_fee,provider_captured,provider_refunded,provider_charged_back,provider_fee,provider_net,our_split,provider_split,settlement_date,status,detail',
      'stripe,order-1,pi_1,card,2026-11-11T10:00:00.000Z,EUR,10.00,0.00,0.00,,10.00,0.00,0.00,0.59,9.41,,,2026-11-13,matched,',
      'stripe,order-2,pi_2,wallet,2026-11-12T10:00:00.000Z,EUR,20.00,0.00,0.00,,19.90,0.00,0.00,0.00,19.90,,,2026-11-13,amount-mismatch,"captures of pi_2 (order order-2): books 2000, stripe 1990 EUR"',
      '',
    ]);
  });

  it('filters by order, booking time and payment method, and summarises what it kept', () => {
    expect(filterRows(result.rows, { orderId: 'order-2' }).map((r) => r.orderId)).toEqual(['order-2']);
    expect(filterRows(result.rows, { since: Date.parse('2026-11-12T00:00:00Z') }).map((r) => r.orderId)).toEqual(['order-2']);
    expect(filterRows(result.rows, { until: Date.parse('2026-11-12T00:00:00Z') }).map((r) => r.orderId)).toEqual(['order-1']);
    expect(filterRows(result.rows, { paymentMethod: 'card' }).map((r) => r.orderId)).toEqual(['order-1']);
    const s = summarise(result, filterRows(result.rows, { paymentMethod: 'card' }));
    expect([s.payments, s.matched, s.mismatches]).toEqual([1, 1, 0]);
    expect(formatSummary(summarise(result))).toBe('reconciled 2 payment(s) at stripe: 1 matched, 1 mismatch(es) — amount-mismatch 1');
  });

  it('counts each provider\'s payments, matched ones and mismatches by kind, every kind present', () => {
    expect(tallyByProvider(result.rows)).toEqual({
      stripe: { payments: 2, matched: 1, mismatches: 1, byKind: { 'missing-ours': 0, 'missing-theirs': 0, 'amount-mismatch': 1, 'currency-mismatch': 0, duplicate: 0, 'fee-mismatch': 0, 'split-mismatch': 0 } },
    });
    expect(tallyByProvider([])).toEqual({});
  });
});

describe('reading inputs', () => {
  it('parses quoted CSV fields and CRLF lines', () => {
    expect(parseCsv('\ufeffa,"b,""c"""\r\n1,2\r\n\r\n', 'x')).toEqual([['a', 'b,"c"'], ['1', '2']]);
  });

  it('refuses a file that is no settlement report, a missing column, and a bad amount, naming file, line and column', () => {
    const err = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return [(e as { code: string }).code, (e as Error).message];
      }
      return undefined;
    };
    expect(err(() => parseSettlement('a,b\r\n1,2\r\n', 'x.csv'))).toEqual(['PAYCHAOS_ERR_RECONCILE_BAD_SETTLEMENT', expect.stringContaining('x.csv: not a settlement report')]);
    expect(err(() => parseSettlement('payment_intent_id,reporting_category,automatic_payout_id\r\n', 'y.csv'))).toEqual(['PAYCHAOS_ERR_RECONCILE_BAD_SETTLEMENT', expect.stringContaining('lacks column(s) currency')]);
    const header = 'payment_intent_id,reporting_category,automatic_payout_id,currency,gross,fee,net,source_id,payment_metadata[order_id],automatic_payout_effective_at_utc';
    expect(err(() => parseSettlement(`${header}\r\npi_1,charge,po_1,eur,10.505,0,0,ch,,\r\n`, 'z.csv'))).toEqual(['PAYCHAOS_ERR_RECONCILE_BAD_SETTLEMENT', expect.stringContaining('z.csv:2 gross')]);
    expect(err(() => parseSettlement(`${header}\r\npi_1,payout,po_1,eur,1,0,1,ch,,\r\n`, 'z.csv'))).toEqual(['PAYCHAOS_ERR_RECONCILE_BAD_SETTLEMENT', expect.stringContaining('z.csv:2 reporting_category')]);
    expect(err(() => parseSettlement(`${header}\r\npi_1,charge,po_1,eur,1,0,1,ch,,\r\n`, 'z.csv', 'adyen'))).toEqual(['PAYCHAOS_ERR_RECONCILE_BAD_SETTLEMENT', expect.stringContaining("given as adyen's report")]);
  });

  it('refuses books with every bad field named', () => {
    try {
      parseBooks({ entries: [{ ...book({ kind: 'capture', amount: 1 }), amount: -1, currency: 'euro' }] }, 'b.json');
      expect.unreachable();
    } catch (e) {
      expect((e as { code: string }).code).toBe('PAYCHAOS_ERR_RECONCILE_BAD_BOOKS');
      expect((e as Error).message).toMatch(/entries\[0\]\.amount.*entries\[0\]\.currency|entries\[0\]\.currency.*entries\[0\]\.amount/);
    }
  });
});

describe('invariants over the books and the providers\' ledgers', () => {
  it('reconciliation-clean: one violation per mismatch, naming order and provider payment', () => {
    const result = checkReconciliationClean(reconcile([book({ kind: 'capture', amount: 1000 })], [line({ kind: 'capture', amount: 999 })]));
    expect(result).toMatchObject({ name: 'reconciliation-clean', unit: 'payments', passed: false, checked: 1 });
    expect(result.violations).toEqual([{ orderId: 'order-1', provider: 'stripe', paymentIds: ['pi_1'], message: expect.stringMatching(/^amount-mismatch: /) }]);
    expect(checkReconciliationClean(reconcile([book({ kind: 'capture', amount: 1000 })], [line({ kind: 'capture', amount: 1000 })])).passed).toBe(true);
  });

  it('ledger-balances: an entry whose lines do not sum to zero, or with one line, is a violation', () => {
    const good = book({ kind: 'capture', amount: 1000, lines: [{ account: 'provider_clearing:stripe', amount: 1000 }, { account: 'shopper', amount: -1000 }] });
    const off = book({ kind: 'capture', amount: 1000, paymentId: 'pay_2', lines: [{ account: 'provider_clearing:stripe', amount: 1001 }, { account: 'shopper', amount: -1000 }] });
    const single = book({ kind: 'refund', amount: 10, lines: [{ account: 'refunds', amount: 0 }] });
    const result = checkLedgerBalances([good, off, single, book({ kind: 'capture', amount: 1 })]);
    expect(result).toMatchObject({ name: 'ledger-balances', unit: 'journal entries', passed: false, checked: 3 });
    expect(result.violations.map((v) => v.message)).toEqual([expect.stringContaining('pay_2 (EUR) sums to 1'), expect.stringContaining('has 1 line(s)')]);
    expect(checkLedgerBalances([good]).passed).toBe(true);
  });

  const row = (kind: LedgerRow['kind'], amount: number, paymentId = 'p1'): LedgerRow => ({ provider: 'adyen', kind, paymentId, orderId: 'o1', amount, currency: 'EUR' });

  it('refunds-within-captures: refunds above the captures of a provider payment are a violation', () => {
    expect(checkRefundsWithinCaptures([row('capture', 1000), row('refund', 600), row('refund', 400)])).toMatchObject({ passed: true, checked: 1 });
    const over = checkRefundsWithinCaptures([row('capture', 1000), row('refund', 600), row('refund', 600), row('capture', 5, 'p2')]);
    expect(over).toMatchObject({ name: 'refunds-within-captures', passed: false, checked: 2 });
    expect(over.violations[0]!.message).toBe('adyen p1 refunded 1200 but captured only 1000');
  });

  it('void-never-captured: a capture after a void, or capture and void beyond the authorisation, is a violation; partial capture then void is not', () => {
    expect(checkVoidNeverCaptured([row('authorization', 1000), row('capture', 600), row('void', 400)])).toMatchObject({ passed: true, checked: 1 });
    expect(checkVoidNeverCaptured([row('authorization', 1000), row('void', 1000), row('capture', 1000)]).violations[0]!.message).toMatch(/captured \(1000\) after its authorisation was voided/);
    expect(checkVoidNeverCaptured([row('authorization', 1000), row('capture', 1000), row('void', 1000)]).violations[0]!.message).toMatch(/captured 1000 and voided 1000 of an authorisation of 1000/);
    expect(checkVoidNeverCaptured([row('authorization', 1000), row('capture', 1000)])).toMatchObject({ name: 'void-never-captured', passed: true, checked: 0 });
  });
});

describe('reconcile: a marketplace order\'s split against the provider\'s split movements', () => {
  // A 10.00 sale, 1.50 commission: the receiver is owed 8.50. Stripe transfers the whole 10.00 and takes 1.50 back.
  const splitBooks = (owed = 850) => [book({ kind: 'capture', amount: 1000 }), book({ kind: 'split', amount: owed, reference: 'split', destination: 'acct_s', commission: 1000 - owed }), book({ kind: 'transfer', amount: owed, reference: 'transfer', destination: 'acct_s' })];
  const capture = line({ kind: 'capture', amount: 1000 });
  const transfer = line({ kind: 'split', amount: 1000, movementRef: 'tr_1', net: -1000 });
  const earning = line({ kind: 'commission', amount: 150, movementRef: 'fee_1', net: 150 });

  it('matches a split whose transfer net of the commission is what the books owe the receiver, and shows both', () => {
    const r = reconcile(splitBooks(), [capture, transfer, earning]);
    expect(r.rows).toHaveLength(1);
    expect(r.rows[0]).toMatchObject({ status: ['matched'], ourCaptured: 1000, theirCaptured: 1000, ourSplit: 850, theirSplit: 850, theirNet: 150 });
  });

  it('reports split-mismatch when the books hold a split the provider never made (the gateway did not send it)', () => {
    expect(kinds(splitBooks(), [capture])).toEqual([['split-mismatch', 'split', 850, undefined]]);
    expect(reconcile(splitBooks(), [capture]).rows[0]!.mismatches[0]!.message).toMatch(/books owe its receiver 850 EUR, stripe paid nothing over/);
  });

  it('reports split-mismatch when the provider paid a receiver and the books hold no split', () => {
    expect(kinds([book({ kind: 'capture', amount: 1000 })], [capture, transfer, earning])).toEqual([['split-mismatch', 'split', undefined, 850]]);
  });

  it('reports split-mismatch with both amounts when the commission differs', () => {
    expect(kinds(splitBooks(900), [capture, transfer, earning])).toEqual([['split-mismatch', 'split', 900, 850]]);
  });

  it('nets reversals: a refund that reverses part of the transfer and refunds part of the commission', () => {
    const books = [...splitBooks(), book({ kind: 'refund', amount: 500, reference: 're_1' }), book({ kind: 'transfer_reversal', amount: 425, reference: 're_1' })];
    const theirs = [capture, transfer, earning, line({ kind: 'refund', amount: 500 }), line({ kind: 'split_reversal', amount: 500, movementRef: 'trr_1', net: 500 }), line({ kind: 'commission_refund', amount: 75, movementRef: 'fr_1', net: -75 })];
    expect(reconcile(books, theirs).rows[0]).toMatchObject({ status: ['matched'], ourSplit: 425, theirSplit: 425 });
  });

  it('never counts split lines as captures or refunds, and judges splits only where the report lists them', () => {
    expect(reconcile(splitBooks(), [capture, transfer, earning]).rows[0]).toMatchObject({ theirCaptured: 1000, theirRefunded: 0 });
    // Adyen's settlement details list no split movements: a split booked there is not compared.
    const adyen = splitBooks().map((b) => ({ ...b, provider: 'adyen' }));
    expect(kinds(adyen, [line({ kind: 'capture', amount: 1000, provider: 'adyen' })])).toEqual([]);
  });

  it('names a split the provider made for a payment the books lack beside missing-ours', () => {
    expect(kinds([], [capture, transfer, earning]).map((k) => k[0])).toEqual(['split-mismatch', 'missing-ours']);
  });

  it('reads Stripe\'s Connect categories from the payout reconciliation report as split movements', () => {
    const csv = [
      'balance_transaction_id,created_utc,available_on_utc,currency,gross,fee,net,reporting_category,source_id,payment_intent_id,payment_metadata[order_id],automatic_payout_id,automatic_payout_effective_at_utc',
      'txn_1,2026-11-11 10:00:00,2026-11-13 00:00:00,eur,10.00,0.59,9.41,charge,ch_1,pi_1,order-1,po_1,2026-11-13 00:00:00',
      'txn_2,2026-11-11 10:00:00,2026-11-13 00:00:00,eur,-10.00,0.00,-10.00,transfer,tr_1,pi_1,order-1,po_1,2026-11-13 00:00:00',
      'txn_3,2026-11-11 10:00:00,2026-11-13 00:00:00,eur,1.50,0.00,1.50,platform_earning,fee_1,pi_1,order-1,po_1,2026-11-13 00:00:00',
    ].join('\r\n');
    expect(parseSettlement(csv, 'stripe.csv').map((r) => [r.kind, r.amount, r.movementRef])).toEqual([['capture', 1000, 'ch_1'], ['split', 1000, 'tr_1'], ['commission', 150, 'fee_1']]);
  });
});

describe('reconcile: 分账 at Alipay and WeChat Pay against their reports\' split rows', () => {
  // A ¥100.00 sale, ¥15.00 commission: the receiver is owed ¥85.00, which Alipay / WeChat Pay move as the royalty itself.
  const cnBooks = (provider: string, ref: string, transferred = true) => [
    book({ provider, providerPaymentId: ref, currency: 'CNY', kind: 'capture', amount: 10_000 }),
    book({ provider, providerPaymentId: ref, currency: 'CNY', kind: 'split', amount: 8_500, reference: 'split', destination: 'r1', commission: 1_500 }),
    ...(transferred ? [book({ provider, providerPaymentId: ref, currency: 'CNY', kind: 'transfer', amount: 8_500, reference: 'transfer', destination: 'r1' })] : []),
  ];
  const alipayCsv = (royalty: boolean) => [
    '支付宝交易号,商户订单号,业务类型,商品名称,完成时间,币种,订单金额（元）,商家实收（元）,服务费（元）,退款批次号/请求号,结算日期,trace_id',
    '2026111122001,order-1,交易,paychaos order-1,2026-11-11 18:00:00,CNY,100.00,99.40,0.60,,20261112,',
    ...(royalty ? ['2026111122001,order-1,分账,paychaos order-1,2026-11-11 18:00:00,CNY,-85.00,-85.00,0.00,sp_1,20261112,'] : []),
  ].join('\r\n');
  const wechatCsv = (share: boolean) => [
    '交易时间,公众账号ID,商户号,微信订单号,商户订单号,交易状态,货币种类,应结订单金额,微信退款单号,商户退款单号,退款金额,商品名称,手续费,费率,结算日期',
    '2026-11-11 18:00:00,wx1,1900000001,4200001,order-1,SUCCESS,CNY,100.00,,,0.00,paychaos order-1,0.60,0.60%,20261112',
    ...(share ? ['2026-11-11 18:00:00,wx1,1900000001,4200001,order-1,分账,CNY,85.00,3000001,sp_1,0.00,paychaos order-1,0.00,0.60%,20261112'] : []),
  ].join('\r\n');

  it('reads Alipay\'s 分账 rows and WeChat Pay\'s profit-sharing rows as split movements paid over, out of the payout', () => {
    expect(parseSettlement(alipayCsv(true), 'alipay.csv').map((r) => [r.kind, r.amount, r.movementRef, r.net])).toEqual([['capture', 10_000, '2026111122001', 9_940], ['split', 8_500, 'sp_1', -8_500]]);
    expect(parseSettlement(wechatCsv(true), 'wechat.csv').map((r) => [r.kind, r.amount, r.movementRef, r.net])).toEqual([['capture', 10_000, '4200001', 9_940], ['split', 8_500, '3000001', -8_500]]);
  });

  it('matches a split whose royalty is what the books owe the receiver, at either provider', () => {
    for (const [provider, ref, csv] of [['alipay', '2026111122001', alipayCsv(true)], ['wechatpay', '4200001', wechatCsv(true)]] as const) {
      const r = reconcile(cnBooks(provider, ref), parseSettlement(csv, `${provider}.csv`));
      expect(r.rows[0]!.mismatches.filter((m) => m.kind === 'split-mismatch'), provider).toEqual([]);
      expect(r.rows[0], provider).toMatchObject({ ourSplit: 8_500, theirSplit: 8_500, theirCaptured: 10_000 });
    }
  });

  it('reports split-mismatch when the books hold a transfer the provider never made (splitOff), and when the provider shared what the books never confirmed', () => {
    for (const [provider, ref, csv] of [['alipay', '2026111122001', alipayCsv], ['wechatpay', '4200001', wechatCsv]] as const) {
      expect(kinds(cnBooks(provider, ref), parseSettlement(csv(false), `${provider}.csv`)).filter((k) => k[0] === 'split-mismatch'), provider).toEqual([['split-mismatch', 'split', 8_500, undefined]]);
      expect(kinds(cnBooks(provider, ref, false), parseSettlement(csv(true), `${provider}.csv`)).filter((k) => k[0] === 'split-mismatch'), provider).toEqual([['split-mismatch', 'split', undefined, 8_500]]);
    }
  });
});

describe("PayPal's Settlement Report (STL) as its specification names the columns", () => {
  // The Section Body columns of developer.paypal.com/docs/reports/sftp-reports/settlement-report:
  // no "Settlement Date" — a row settles on the day its transaction completes.
  const header = ['Transaction ID', 'Invoice ID', 'PayPal Reference ID', 'PayPal Reference ID Type', 'Transaction Event Code', 'Transaction Initiation Date', 'Transaction Completion Date', 'Transaction Debit or Credit', 'Gross Transaction Amount', 'Gross Transaction Currency', 'Fee Debit or Credit', 'Fee Amount', 'Fee Currency', 'Custom Field', 'Consumer ID'].join(',');
  const row = (code: string, dc: string, completed: string, fee: string, feeDc = 'DR') => ['9TX1', 'inv-1', 'ORDER1', 'ODR', code, '2026/11/11 09:59:58 +0000', completed, dc, '40.00', 'USD', feeDc, fee, 'USD', '', ''].join(',');

  it('reads a report without a Settlement Date column: the day is the Transaction Completion Date, a chargeback and its reversal carry the dispute fee', () => {
    const csv = [header, row('T0006', 'CR', '2026/11/11 10:00:00 +0000', '1.89'), row('T1201', 'DR', '2026/11/20 08:00:00 +0000', '15.00'), row('T1202', 'CR', '2026/11/30 08:00:00 +0000', '15.00', 'CR')].join('\r\n');
    expect(parseSettlement(csv, 'STL-20261130.01.009.CSV', 'paypal').map((r) => [r.kind, r.amount, r.fee, r.net, r.settlesOn])).toEqual([
      ['capture', 4000, 189, 3811, '2026-11-11'],
      ['chargeback', 4000, 1500, -5500, '2026-11-20'],
      ['chargeback_reversal', 4000, -1500, 5500, '2026-11-30'],
    ]);
  });

  it('reads the report as PayPal delivers it: record types first (RH … CH … SB … RF), amounts unsigned with two decimals implied, a second section re-ordered by its own CH', () => {
    const q = (cells: string[]) => cells.map((c) => `"${c}"`).join(',');
    const ch = ['CH', ...header.split(',')];
    // Section 2 names the same columns in another order (Fee Amount before Fee Debit or Credit swapped).
    const ch2 = [...ch];
    [ch2[11], ch2[12]] = [ch2[12]!, ch2[11]!];
    const sb = (cells: string[]) => ['SB', ...cells];
    const capture = sb(['9TX1', 'inv-1', 'ORDER1', 'ODR', 'T0006', '2026/11/11 09:59:58 +0000', '2026/11/11 10:00:00 +0000', 'CR', '4000', 'USD', 'DR', '189', 'USD', '', '']);
    const yen = sb(['9TX2', 'inv-2', 'ORDER2', 'ODR', 'T0006', '2026/11/12 09:00:00 +0900', '2026/11/12 09:00:01 +0900', 'CR', '500000', 'JPY', '', '', '', '', '']);
    const chargeback = ['SB', '9TX3', 'inv-1', 'ORDER1', 'ODR', 'T1201', '2026/11/20 08:00:00 +0000', '2026/11/20 08:00:00 +0000', 'DR', '4000', 'USD', '1500', 'DR', 'USD', '', ''];
    const csv = [q(['RH', '2026/11/21 03:00:00 +0000', 'A', 'ACCT1', '009']), q(['FH', '01']), q(['SH', '2026/11/11 00:00:00 +0000', '2026/11/20 23:59:59 +0000', 'ACCT1', '']), q(ch), q(capture), q(yen), q(['SF', 'USD', '…']), q(['SH', '2026/11/20 00:00:00 +0000', '2026/11/20 23:59:59 +0000', 'ACCT1', '']), q(ch2), q(chargeback), q(['SF', 'USD', '…']), q(['RF', '3'])].join('\r\n');
    expect(parseSettlement(csv, 'STL-20261121.01.009.CSV', 'paypal').map((r) => [r.kind, r.amount, r.currency, r.fee, r.net, r.settlesOn, r.source])).toEqual([
      ['capture', 4000, 'USD', 189, 3811, '2026-11-11', 'STL-20261121.01.009.CSV:5'],
      ['capture', 5000, 'JPY', 0, 5000, '2026-11-12', 'STL-20261121.01.009.CSV:6'],
      ['chargeback', 4000, 'USD', 1500, -5500, '2026-11-20', 'STL-20261121.01.009.CSV:10'],
    ]);
    // An amount with a separator is not the delivered format: refused, naming the line and the column.
    const bad = [q(['RH', 'x']), q(ch), q(sb(['9TX1', 'inv-1', 'ORDER1', 'ODR', 'T0006', '2026/11/11 09:59:58 +0000', '2026/11/11 10:00:00 +0000', 'CR', '40.00', 'USD', 'DR', '189', 'USD', '', '']))].join('\r\n');
    expect(() => parseSettlement(bad, 'stl.csv')).toThrow(expect.objectContaining({ code: 'PAYCHAOS_ERR_RECONCILE_BAD_SETTLEMENT', message: expect.stringContaining('stl.csv:3 Gross Transaction Amount') }));
  });

  it('refuses a Transaction Completion Date that is not a date-time, naming the line and the column', () => {
    const csv = [header, row('T0006', 'CR', 'yesterday', '1.89')].join('\r\n');
    expect(() => parseSettlement(csv, 'stl.csv')).toThrow(expect.objectContaining({ code: 'PAYCHAOS_ERR_RECONCILE_BAD_SETTLEMENT', message: expect.stringContaining('stl.csv:2 Transaction Completion Date') }));
  });
});
