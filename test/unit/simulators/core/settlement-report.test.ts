import { describe, expect, it } from 'vitest';
import { ADYEN_FEES, adyenSettlementReportCsv } from '../../../../simulators/adyen/index.js';
import { ALIPAY_CYCLE, ALIPAY_FEES, alipaySettlementReportCsv } from '../../../../simulators/alipay/index.js';
import { Behaviour, Ledger, feeFor, settlementDate, settlementLines, settlementSchedule, type FeeModel } from '../../../../simulators/core/index.js';
import { PAYPAL_FEES, paypalSettlementReportCsv } from '../../../../simulators/paypal/index.js';
import { STRIPE_CYCLE, STRIPE_FEES, buildStripeSim, stripeSettlementReportCsv } from '../../../../simulators/stripe/index.js';
import { WECHAT_FEES, wechatSettlementReportCsv } from '../../../../simulators/wechatpay/index.js';
import { UNIONPAY_FEES, unionPaySettlementReportCsv } from '../../../../simulators/unionpay/index.js';
import { ManualClock, Random, scaledClock } from '../../../../src/kernel/index.js';
import { parseSettlement } from '../../../../src/analysis/index.js';

describe('fees by each provider\'s published pricing', () => {
  it.each<[string, FeeModel, 'capture' | 'refund', number, string, number]>([
    ['Stripe 2.9% + 0.30 on 10.00 USD', STRIPE_FEES, 'capture', 1000, 'USD', 59],
    ['Stripe on 10.50 EUR (30.45 rounds to 30)', STRIPE_FEES, 'capture', 1050, 'EUR', 60],
    ['Stripe on 1000 JPY (no fixed part in a zero-decimal currency)', STRIPE_FEES, 'capture', 1000, 'JPY', 29],
    ['Stripe keeps its fee on a refund', STRIPE_FEES, 'refund', 500, 'USD', 0],
    ['Adyen 0.60% + 0.13 on 10.00 EUR', ADYEN_FEES, 'capture', 1000, 'EUR', 19],
    ['Alipay 0.6% on 99.00 CNY', ALIPAY_FEES, 'capture', 9900, 'CNY', 59],
    ['Alipay returns 0.6% of a 50.00 refund', ALIPAY_FEES, 'refund', 5000, 'CNY', -30],
    ['WeChat Pay 0.6% on 12.34 CNY (7.404 rounds to 7)', WECHAT_FEES, 'capture', 1234, 'CNY', 7],
    ['WeChat Pay returns 0.6% of a refund', WECHAT_FEES, 'refund', 1000, 'CNY', -6],
    ['PayPal 3.49% + 0.49 on 10.00 USD', PAYPAL_FEES, 'capture', 1000, 'USD', 84],
    ['PayPal keeps its fee on a refund', PAYPAL_FEES, 'refund', 1000, 'USD', 0],
  ])('%s', (_name, model, kind, amount, currency, fee) => {
    expect(feeFor(model, kind, amount, currency)).toBe(fee);
  });
});

const at = (iso: string) => () => new Date(iso);
/** A cut-off long after every movement here: each line's day has come. */
const LATER = Date.parse('2100-01-01T00:00:00Z');

function ledgerOf(provider: string, rows: Array<{ kind: 'capture' | 'refund' | 'authorization'; amount: number; at: string; paymentId?: string; reference?: string }>, currency = 'EUR'): Ledger {
  const ledger = new Ledger(provider);
  rows.forEach((r, i) => ledger.append({ kind: r.kind, paymentId: r.paymentId ?? `p${i}`, orderId: `o${i}`, idempotencyKey: undefined, amount: r.amount, currency, traceId: undefined, at: r.at, ...(r.reference ? { reference: r.reference } : {}) }));
  return ledger;
}

describe('settlement lines: cycle, fees and net', () => {
  it('settles Stripe two days after the charge\'s UTC day, Alipay the day after its Beijing day', () => {
    const stripe = settlementLines(ledgerOf('stripe', [{ kind: 'capture', amount: 1000, at: '2026-11-11T23:30:00.000Z' }]).entries(), { fees: STRIPE_FEES, cycle: STRIPE_CYCLE, seed: 1, asOf: LATER });
    expect(stripe.map((l) => [l.batch, new Date(l.settlesAt).toISOString(), l.fee, l.net])).toEqual([['20261113', '2026-11-13T00:00:00.000Z', 59, 941]]);
    // 17:00 UTC is already 01:00 on the 12th in Beijing: settled on the 13th, Beijing time.
    const alipay = settlementLines(ledgerOf('alipay', [{ kind: 'capture', amount: 9900, at: '2026-11-11T17:00:00.000Z' }], 'CNY').entries(), { fees: ALIPAY_FEES, cycle: ALIPAY_CYCLE, seed: 1, asOf: LATER });
    expect(alipay.map((l) => [l.batch, new Date(l.settlesAt).toISOString()])).toEqual([['20261113', '2026-11-12T16:00:00.000Z']]);
  });

  it('lists captures and refunds only, with a refund\'s net negative and a returned fee', () => {
    const lines = settlementLines(
      ledgerOf('alipay', [{ kind: 'authorization', amount: 9900, at: '2026-11-11T01:00:00.000Z' }, { kind: 'capture', amount: 9900, at: '2026-11-11T01:00:00.000Z' }, { kind: 'refund', amount: 5000, at: '2026-11-11T02:00:00.000Z' }], 'CNY').entries(),
      { fees: ALIPAY_FEES, cycle: ALIPAY_CYCLE, seed: 1, asOf: LATER },
    );
    expect(lines.map((l) => [l.kind, l.gross, l.fee, l.net])).toEqual([['capture', 9900, 59, 9841], ['refund', 5000, -30, -4970]]);
  });
});

describe('settlement cycles on the provider\'s clock: the cut-off and what is due', () => {
  const day = 86_400_000;
  const captures = ledgerOf('stripe', [{ kind: 'capture', amount: 1000, at: '2026-11-11T10:00:00.000Z' }, { kind: 'capture', amount: 2000, at: '2026-11-12T10:00:00.000Z' }]).entries();
  const schedule = (asOf: string, extra: object = {}) => settlementSchedule(captures, { fees: STRIPE_FEES, cycle: STRIPE_CYCLE, seed: 1, asOf: Date.parse(asOf), ...extra });
  const amounts = (lines: readonly { gross: number }[]) => lines.map((l) => l.gross);

  it.each([
    // [cut-off, in the file, pending]: T+2 days, UTC — the 11th's charge settles on the 13th, the 12th's on the 14th.
    ['2026-11-12T23:59:59.999Z', [], [1000, 2000]],
    ['2026-11-13T00:00:00.000Z', [1000], [2000]],
    ['2026-11-14T00:00:00.000Z', [1000, 2000], []],
    // Before a movement was committed it is not even pending.
    ['2026-11-11T12:00:00.000Z', [], [1000]],
  ])('at %s the file holds %j and %j is still to come', (asOf, inFile, toCome) => {
    const s = schedule(asOf);
    expect([amounts(s.due), amounts(s.pending)]).toEqual([inFile, toCome]);
    expect(settlementLines(captures, { fees: STRIPE_FEES, cycle: STRIPE_CYCLE, seed: 1, asOf: Date.parse(asOf) })).toEqual(s.due);
  });

  it('dates a pending movement at its scheduled day, and a configured cycle moves it (T+7)', () => {
    expect(schedule('2026-11-12T00:00:00Z').pending.map((l) => settlementDate(l))).toEqual(['2026-11-13']);
    const t7 = schedule('2026-11-17T00:00:00Z', { cycle: { days: 7, utcOffsetMin: 0 } });
    expect([amounts(t7.due), t7.pending.map((l) => settlementDate(l))]).toEqual([[], ['2026-11-18', '2026-11-19']]);
  });

  it('counts days on the provider\'s clock: a scaled clock makes the ledger\'s wall-clock minutes into days', () => {
    // A day per second from 2026-11-11T10:00:00Z: the second charge, 1 s of wall clock later, is a day later on the provider's calendar.
    const start = Date.parse('2026-11-11T10:00:00Z');
    const clock = scaledClock(86_400, () => start);
    const entries = ledgerOf('stripe', [{ kind: 'capture', amount: 1000, at: '2026-11-11T10:00:00.000Z' }, { kind: 'capture', amount: 2000, at: '2026-11-11T10:00:01.000Z' }]).entries();
    const s = settlementSchedule(entries, { fees: STRIPE_FEES, cycle: STRIPE_CYCLE, seed: 1, asOf: Date.parse('2026-11-13T12:00:00Z'), providerTime: (ms) => clock.fromReal!(ms) });
    expect([amounts(s.due), s.pending.map((l) => settlementDate(l))]).toEqual([[1000], ['2026-11-14']]);
  });

  it('keeps a late line out of both lists once its day has passed (overdue), and in pending before', () => {
    const late = { windows: [{ from: 0, faults: { missingLine: 0, duplicateLine: 0, late: { share: 1, by: 3 * day } } }] };
    expect([amounts(schedule('2026-11-12T12:00:00Z', late).due), amounts(schedule('2026-11-12T12:00:00Z', late).pending)]).toEqual([[], [1000, 2000]]);
    expect([amounts(schedule('2026-11-13T12:00:00Z', late).due), amounts(schedule('2026-11-13T12:00:00Z', late).pending)]).toEqual([[], [2000]]);
    expect(amounts(schedule('2026-11-16T00:00:00Z', late).due)).toEqual([1000]);
  });

  it('serves the file at the simulator\'s now by default, the schedule with pending=true, and refuses a bad cut-off or flag with a coded 400', async () => {
    const clock = new ManualClock(Date.parse('2026-11-11T10:00:00Z'));
    const sim = buildStripeSim({ seed: 3, clock, now: () => new Date(clock.now()) });
    try {
      const charge = await sim.app.inject({ method: 'POST', url: '/v1/payment_intents', payload: 'amount=1000&currency=eur&payment_method=pm_card_visa&confirm=true', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
      expect(charge.statusCode).toBe(200);
      const rows = async (query: string) => (await sim.app.inject({ method: 'GET', url: `/__sim/settlement.csv?version=2${query}` })).body.trim().split('\r\n').length - 1;
      expect([await rows(''), await rows('&pending=true')]).toEqual([0, 1]);
      const res = await sim.app.inject({ method: 'GET', url: '/__sim/settlement.csv?version=2' });
      expect(res.headers['paychaos-settlement-as-of']).toBe('2026-11-11T10:00:00.000Z');
      clock.advance(2 * day);
      expect([await rows(''), await rows('&pending=true')]).toEqual([1, 0]);
      // T+7 from the behaviour profile: the same charge is not due again until the 18th.
      expect((await sim.app.inject({ method: 'PUT', url: '/__sim/behaviour', payload: { settlementCycle: { days: 7 } } })).statusCode).toBe(200);
      expect([await rows(''), await rows('&pending=true')]).toEqual([0, 1]);
      for (const [query, field] of [['&pending=yes', 'pending'], ['&asOf=tomorrow', 'asOf']] as const) {
        const bad = await sim.app.inject({ method: 'GET', url: `/__sim/settlement.csv?version=2${query}` });
        expect([bad.statusCode, bad.json().error.code, bad.json().error.field]).toEqual([400, 'PAYCHAOS_ERR_SIM_BAD_SETTLEMENT_QUERY', field]);
      }
      const badCycle = await sim.app.inject({ method: 'PUT', url: '/__sim/behaviour', payload: { settlementCycle: { days: 31 } } });
      expect(badCycle.statusCode).toBe(400);
      expect(badCycle.body).toContain('settlementCycle.days');
      expect(badCycle.body).toContain('T+0 … T+30');
    } finally {
      await sim.app.close();
    }
  });
});

describe('settlement faults', () => {
  const entries = ledgerOf('stripe', Array.from({ length: 40 }, (_, i) => ({ kind: 'capture' as const, amount: 1000 + i, at: `2026-11-11T10:00:${String(i).padStart(2, '0')}.000Z` }))).entries();
  const window = (faults: object, from = Date.parse('2026-11-11T10:00:00Z'), to?: number) => [{ from, ...(to !== undefined ? { to } : {}), faults: { missingLine: 0, duplicateLine: 0, ...faults } }];
  const opts = { fees: STRIPE_FEES, cycle: STRIPE_CYCLE, seed: 7, asOf: LATER };

  it('leaves out, doubles, shifts or delays every line when the share is 1', () => {
    expect(settlementLines(entries, { ...opts, windows: window({ missingLine: 1 }) })).toHaveLength(0);
    expect(settlementLines(entries, { ...opts, windows: window({ duplicateLine: 1 }) })).toHaveLength(80);
    expect(settlementLines(entries, { ...opts, windows: window({ amountOff: { share: 1, byMinor: -5 } }) }).map((l) => l.gross)).toEqual(entries.map((e) => e.amount - 5));
    // A misstated fee: the provider kept 7 minor units more than its price; the net follows, the gross does not.
    const feeOff = settlementLines(entries, { ...opts, windows: window({ feeOff: { share: 1, byMinor: 7 } }) });
    const clean = settlementLines(entries, opts);
    expect(feeOff.map((l) => l.fee)).toEqual(clean.map((l) => l.fee + 7));
    expect(feeOff.map((l) => l.net)).toEqual(clean.map((l) => l.net - 7));
    expect(feeOff.map((l) => l.gross)).toEqual(clean.map((l) => l.gross));
    // Late lines settle after the file that closes their day (cut-off: the on-time day): absent; a later cut-off has them.
    expect(settlementLines(entries, { ...opts, windows: window({ late: { share: 1, by: 86_400_000 } }), asOf: Date.parse('2026-11-13T00:00:00Z') })).toHaveLength(0);
    expect(settlementLines(entries, { ...opts, windows: window({ late: { share: 1, by: 86_400_000 } }), asOf: Date.parse('2026-11-14T00:00:00Z') })).toHaveLength(40);
  });

  it('picks a share of lines by the seed: the same every time, another set for another seed', () => {
    const missing = (seed: number) => new Set(entries.map((e) => e.id)).size - settlementLines(entries, { ...opts, seed, windows: window({ missingLine: 0.5 }) }).length;
    const kept = (seed: number) => settlementLines(entries, { ...opts, seed, windows: window({ missingLine: 0.5 }) }).map((l) => l.entry.id);
    expect(missing(7)).toBeGreaterThan(8);
    expect(missing(7)).toBeLessThan(32);
    expect(kept(7)).toEqual(kept(7));
    expect(kept(8)).not.toEqual(kept(7));
  });

  it('spoils only movements committed while the fault was on', () => {
    const to = Date.parse('2026-11-11T10:00:10Z');
    const lines = settlementLines(entries, { ...opts, windows: window({ missingLine: 1 }, Date.parse('2026-11-11T10:00:00Z'), to) });
    expect(lines).toHaveLength(30);
    expect(lines.every((l) => Date.parse(l.entry.at) >= to)).toBe(true);
  });

  it('remembers the window a behaviour profile had settlement faults in', () => {
    const clock = new ManualClock(Date.parse('2026-11-11T00:00:00Z'));
    const behaviour = new Behaviour({ outcomeCodes: [], random: new Random(1), now: () => clock.now() });
    behaviour.apply({ settlement: { missingLine: 1 } });
    clock.advance(5000);
    behaviour.apply({ latency: { kind: 'fixed', value: 1 } });
    expect(behaviour.settlementWindows()).toEqual([{ from: Date.parse('2026-11-11T00:00:00Z'), to: Date.parse('2026-11-11T00:00:05Z'), faults: { missingLine: 1, duplicateLine: 0 } }]);
  });
});

describe('version 2 of each provider\'s settlement report, read back by the independent reader', () => {
  const ledger = (provider: string, currency: string) =>
    ledgerOf(provider, [{ kind: 'capture', amount: 1000, at: '2026-11-11T08:00:00.000Z', paymentId: 'PAY1', reference: 'MOV1' }, { kind: 'refund', amount: 400, at: '2026-11-11T09:00:00.000Z', paymentId: 'PAY1', reference: 'MOV2' }], currency).entries();
  const cases: Array<[string, string, string, (lines: ReturnType<typeof settlementLines>) => string, FeeModel, number]> = [
    ['stripe', 'USD', 'automatic_payout_id', (l) => stripeSettlementReportCsv(l), STRIPE_FEES, 1],
    ['adyen', 'EUR', 'Commission (NC)', (l) => adyenSettlementReportCsv(l, 'Co', () => 'Merch'), ADYEN_FEES, 1],
    ['alipay', 'CNY', '结算日期', (l) => alipaySettlementReportCsv(l, () => 'tea'), ALIPAY_FEES, 1],
    ['wechatpay', 'CNY', '费率', (l) => wechatSettlementReportCsv(l, 'wxapp', '1900', () => 'tea'), WECHAT_FEES, 1],
    ['paypal', 'USD', 'Fee Debit or Credit', (l) => paypalSettlementReportCsv(l), PAYPAL_FEES, 0],
    ['unionpay', 'CNY', '清算日期', (l) => unionPaySettlementReportCsv(l), UNIONPAY_FEES, 1],
  ];
  it.each(cases)('%s: its own columns, gross, fee and net per line, and the settlement day', (provider, currency, column, render, fees, days) => {
    const lines = settlementLines(ledger(provider, currency), { fees, cycle: { days, utcOffsetMin: 0 }, seed: 1, asOf: LATER });
    const csv = render(lines);
    expect(csv.split('\r\n')[0]).toContain(column);
    const read = parseSettlement(csv, `${provider}.csv`);
    const captureFee = feeFor(fees, 'capture', 1000, currency);
    const refundFee = feeFor(fees, 'refund', 400, currency);
    expect(read.map((r) => [r.provider, r.providerRef, r.kind, r.amount, r.currency, r.fee, r.net, r.settlesOn])).toEqual([
      [provider, 'PAY1', 'capture', 1000, currency, captureFee, 1000 - captureFee, days === 1 ? '2026-11-12' : '2026-11-11'],
      [provider, 'PAY1', 'refund', 400, currency, refundFee, -400 - refundFee, days === 1 ? '2026-11-12' : '2026-11-11'],
    ]);
  });

  it('is served at /__sim/settlement.csv?version=2 beside the unchanged version 1, and a bad query is a coded 400', async () => {
    const sim = buildStripeSim({ seed: 3, now: at('2026-11-11T10:00:00.000Z') });
    try {
      const pi = await sim.app.inject({ method: 'POST', url: '/v1/payment_intents', payload: 'amount=1000&currency=usd&payment_method=pm_card_visa&confirm=true', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
      expect(pi.statusCode).toBe(200);
      const v1 = await sim.app.inject({ method: 'GET', url: '/__sim/settlement.csv' });
      expect(v1.body.split('\r\n')[1]).toMatch(/,usd,10\.00,0\.00,10\.00,charge,/);
      const v2 = await sim.app.inject({ method: 'GET', url: '/__sim/settlement.csv?version=2' });
      expect(v2.headers['content-disposition']).toContain('stripe-settlement-v2.csv');
      expect(v2.body.split('\r\n')[1]).toMatch(/,usd,10\.00,0\.59,9\.41,charge,.*,po_20261113,2026-11-13 00:00:00,/);
      // A cut-off before the payout day: the file does not hold it yet.
      expect((await sim.app.inject({ method: 'GET', url: '/__sim/settlement.csv?version=2&asOf=2026-11-12T00:00:00Z' })).body.trim().split('\r\n')).toHaveLength(1);
      for (const [query, field] of [['version=3', 'version'], ['version=2&asOf=soon', 'asOf'], ['asOf=2026-11-12T00:00:00Z', 'asOf']]) {
        const bad = await sim.app.inject({ method: 'GET', url: `/__sim/settlement.csv?${query}` });
        expect([bad.statusCode, bad.json().error.code, bad.json().error.field]).toEqual([400, 'PAYCHAOS_ERR_SIM_BAD_SETTLEMENT_QUERY', field]);
      }
    } finally {
      await sim.app.close();
    }
  });
});

describe('the settlement fields of the behaviour profile', () => {
  it('accepts each fault and refuses bad values and unknown keys with their paths', async () => {
    const { parseProfile } = await import('../../../../simulators/core/index.js');
    const ok = parseProfile({ settlement: { missingLine: 0.1, duplicateLine: 0.2, amountOff: { share: 0.5, byMinor: -1 }, late: { share: 1, by: '48h' } } }, []);
    expect(ok.ok && ok.profile.settlement).toEqual({ missingLine: 0.1, duplicateLine: 0.2, amountOff: { share: 0.5, byMinor: -1 }, late: { share: 1, by: 172_800_000 } });
    const bad = parseProfile({ settlement: { missingLine: 2, amountOff: { share: 1, byMinor: 0 }, late: { share: 1, by: 0 }, withheld: true } }, []);
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.problems.map((p) => p.path).sort()).toEqual(['settlement', 'settlement.amountOff.byMinor', 'settlement.late.by', 'settlement.missingLine']);
  });
});
