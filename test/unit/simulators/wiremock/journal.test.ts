import { createServer, type Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { isPaychaosError } from '../../../../src/kernel/index.js';
import { ledgerFromJournal, wiremockLedger, type JournalEvent } from '../../../../simulators/wiremock/index.js';

const P = 'wiremock:localwallet';
let seq = 0;
/** A serve event as WireMock's journal lists it. */
const event = (method: string, url: string, reqBody: unknown, status: number, resBody: unknown, extra: { fault?: string; headers?: Record<string, string> } = {}): JournalEvent => ({
  id: `ev${++seq}`,
  request: { method, url, body: JSON.stringify(reqBody), loggedDateString: '2026-11-22T00:00:00.000Z', ...(extra.headers ? { headers: extra.headers } : {}) },
  response: { status, body: resBody === undefined ? '' : JSON.stringify(resBody), ...(extra.fault ? { fault: extra.fault } : {}) },
});
const create = (reference: string, id: string, amount = 1000, extra = {}) => event('POST', '/v1/charges', { reference, amount, currency: 'sgd' }, 201, { id, status: 'PENDING' }, extra);

describe('ledgerFromJournal', () => {
  it('turns each created charge into an authorization and a capture, oldest first (the journal lists newest first)', () => {
    const rows = ledgerFromJournal([create('o2', 'ch_2', 2000), create('o1', 'ch_1')], P);
    expect(rows.map((r) => [r.id, r.kind, r.orderId, r.paymentId, r.amount, r.currency, r.provider, r.idempotencyKey])).toEqual([
      [`${P}_authorization_1`, 'authorization', 'o1', 'ch_1', 1000, 'sgd', P, undefined],
      [`${P}_capture_1`, 'capture', 'o1', 'ch_1', 1000, 'sgd', P, undefined],
      [`${P}_authorization_2`, 'authorization', 'o2', 'ch_2', 2000, 'sgd', P, undefined],
      [`${P}_capture_2`, 'capture', 'o2', 'ch_2', 2000, 'sgd', P, undefined],
    ]);
  });

  it.each([
    ['a decline', event('POST', '/v1/charges', { reference: 'o', amount: 5100, currency: 'sgd' }, 402, { error: { code: 'INSUFFICIENT_BALANCE' } })],
    ['a faulted create (nothing was rendered)', event('POST', '/v1/charges', { reference: 'o', amount: 1, currency: 'sgd' }, 201, undefined, { fault: 'CONNECTION_RESET_BY_PEER' })],
    ['a status poll', event('GET', '/v1/charges/ch_1', '', 200, { status: 'SUCCEEDED' })],
    ['a refund', event('POST', '/v1/charges/ch_1/refunds', { amount: 10 }, 201, { id: 'rf_1' })],
  ])('records nothing for %s', (_name, e) => {
    expect(ledgerFromJournal([e], P)).toEqual([]);
  });

  it('ignores the query string, and joins the row to its trace through traceparent', () => {
    const traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    const e = create('o', 'ch_q', 1000, { headers: { Traceparent: traceparent } });
    const [row] = ledgerFromJournal([{ ...e, request: { ...e.request, url: '/v1/charges?x=1' } }], P);
    expect(row).toMatchObject({ paymentId: 'ch_q', traceId: '0af7651916cd43dd8448eb211c80319c' });
  });

  it('follows a rule of the provider\'s own, with dotted paths into the bodies', () => {
    const e = event('PUT', '/api/payments', { order: { ref: 'o9' }, money: { minor: 700, ccy: 'eur' } }, 200, { payment: { token: 'pay_9' } });
    const rule = { method: 'PUT', path: '/api/payments', status: 200, paymentId: 'payment.token', orderId: 'order.ref', amount: 'money.minor', currency: 'money.ccy' };
    expect(ledgerFromJournal([e], 'wiremock:mine', rule).map((r) => [r.kind, r.orderId, r.paymentId, r.amount, r.currency])).toEqual([
      ['authorization', 'o9', 'pay_9', 700, 'eur'],
      ['capture', 'o9', 'pay_9', 700, 'eur'],
    ]);
  });

  it('throws, naming the event, for a created charge it cannot read (a body cut short) instead of leaving it out', () => {
    const cut: JournalEvent = { ...create('o', 'ch_x'), response: { status: 201, body: '{"id":"ch_x","sta' } };
    const err = (() => {
      try {
        return ledgerFromJournal([cut], P);
      } catch (e) {
        return e;
      }
    })();
    expect(isPaychaosError(err)).toBe(true);
    expect((err as { details: { reason: string; eventId: string } }).details).toMatchObject({ reason: 'unreadable-event', eventId: cut.id });
  });
});

describe('wiremockLedger reading a journal', () => {
  let server: Server | undefined;
  afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

  /** A stand-in for WireMock's admin API answering GET /__admin/requests with `body`. */
  async function admin(body: unknown): Promise<string> {
    server = createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body)));
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(server.address() as { port: number }).port}/__admin`;
  }

  it('returns the ledger of a whole journal', async () => {
    const url = await admin({ requests: [create('o1', 'ch_1')], meta: { total: 1 }, requestJournalDisabled: false });
    expect(await wiremockLedger(url, P)).toHaveLength(2);
  });

  it.each([
    ['disabled', { requests: [], meta: { total: 0 }, requestJournalDisabled: true }],
    ['limited', { requests: [create('o1', 'ch_1')], meta: { total: 5 }, requestJournalDisabled: false }],
  ])('throws when the journal is %s rather than return part of a ledger', async (reason, body) => {
    const err = await wiremockLedger(await admin(body), P).catch((e: unknown) => e);
    expect(isPaychaosError(err)).toBe(true);
    expect((err as { details: { reason: string } }).details.reason).toBe(reason);
  });

  it('throws when nothing answers at the admin URL', async () => {
    const err = await wiremockLedger('http://127.0.0.1:9/__admin', P).catch((e: unknown) => e);
    expect((err as { details: { reason: string } }).details.reason).toBe('unreachable');
  });
});
