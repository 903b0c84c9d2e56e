import { describe, expect, it } from 'vitest';
import { WEBHOOK_LOG_LIMIT, WebhookDispatcher, parseProfile, type Transport, type WebhookProtocol, type WebhookSettings } from '../../../../simulators/core/index.js';
import { ManualClock, Random } from '../../../../src/kernel/index.js';

const MINUTE = 60_000;
const flush = () => new Promise<void>((r) => setImmediate(r));

/** A protocol whose "signature" says whether it was made with the right secret. */
const protocol: WebhookProtocol = {
  retrySchedule: [MINUTE, 5 * MINUTE, 30 * MINUTE],
  accepted: (status) => status === 200,
  render: (event, { badSignature }) => ({ body: JSON.stringify({ id: event.id }), headers: { sig: badSignature ? 'bad' : 'good' } }),
};

function setup(webhooks: Record<string, unknown>, answer: (n: number, headers: Record<string, string>) => number = () => 200) {
  const clock = new ManualClock(0);
  const parsed = parseProfile({ webhooks: { url: 'http://receiver.test/hook', ...webhooks } }, []);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  const settings: WebhookSettings = parsed.profile.webhooks;
  const received: Array<{ id: string; at: number; sig: string }> = [];
  const transport: Transport = async (_url, body, headers) => {
    received.push({ id: JSON.parse(body).id, at: clock.now(), sig: headers.sig ?? '' });
    return { status: answer(received.length, headers), body: '' };
  };
  const dispatcher = new WebhookDispatcher({ protocol, clock, random: new Random(9), settings: () => settings, transport });
  return { clock, dispatcher, received };
}

async function run(clock: ManualClock, totalMs: number, stepMs = MINUTE): Promise<void> {
  await flush();
  for (let t = 0; t < totalMs; t += stepMs) {
    clock.advance(stepMs);
    await flush();
  }
}

describe('WebhookDispatcher', () => {
  it('climbs the retry ladder on the simulated clock until the receiver acknowledges', async () => {
    const { clock, dispatcher, received } = setup({}, (n) => (n < 3 ? 500 : 200));
    dispatcher.emit({ id: 'evt_1', type: 't', payload: {} });
    clock.advance(0);
    await run(clock, 60 * MINUTE);
    expect(received.map((r) => r.at)).toEqual([0, MINUTE, 6 * MINUTE]);
    expect(dispatcher.attempts().map((a) => [a.attempt, a.status, a.accepted])).toEqual([[1, 500, false], [2, 500, false], [3, 200, true]]);
    expect(dispatcher.totals()).toEqual({ emitted: 1, attempts: 3, accepted: 1, dropped: 0 });
  });

  it('gives up when the ladder ends', async () => {
    const { clock, dispatcher, received } = setup({}, () => 503);
    dispatcher.emit({ id: 'evt_1', type: 't', payload: {} });
    clock.advance(0);
    await run(clock, 120 * MINUTE);
    expect(received.map((r) => r.at / MINUTE)).toEqual([0, 1, 6, 36]);
    await dispatcher.settled();
  });

  it('uses the profile retrySchedule instead of the provider ladder when given', async () => {
    const { clock, dispatcher, received } = setup({ retrySchedule: ['2m', '2m'] }, () => 500);
    dispatcher.emit({ id: 'evt_1', type: 't', payload: {} });
    clock.advance(0);
    await run(clock, 10 * MINUTE);
    expect(received.map((r) => r.at / MINUTE)).toEqual([0, 2, 4]);
  });

  it('retries an attempt whose transport failed', async () => {
    const clock = new ManualClock(0);
    const parsed = parseProfile({ webhooks: { url: 'http://x.test/' } }, []);
    if (!parsed.ok) throw new Error('profile');
    let calls = 0;
    const dispatcher = new WebhookDispatcher({
      protocol,
      clock,
      random: new Random(1),
      settings: () => parsed.profile.webhooks,
      transport: async () => {
        if (++calls === 1) throw new Error('ECONNREFUSED');
        return { status: 200, body: '' };
      },
    });
    dispatcher.emit({ id: 'e', type: 't', payload: {} });
    clock.advance(0);
    await run(clock, 2 * MINUTE);
    expect(dispatcher.attempts().map((a) => [a.error, a.accepted])).toEqual([['ECONNREFUSED', false], [undefined, true]]);
  });

  it('delays the first attempt by the configured delay', async () => {
    const { clock, dispatcher, received } = setup({ delay: { kind: 'fixed', value: '3m' } });
    dispatcher.emit({ id: 'e', type: 't', payload: {} });
    await run(clock, 5 * MINUTE);
    expect(received.map((r) => r.at)).toEqual([3 * MINUTE]);
  });

  it('delivers a duplicate as a second, independent delivery', async () => {
    const { clock, dispatcher, received } = setup({ duplicate: 1 });
    dispatcher.emit({ id: 'e', type: 't', payload: {} });
    clock.advance(0);
    await run(clock, MINUTE);
    expect(received.map((r) => r.id)).toEqual(['e', 'e']);
    expect(dispatcher.attempts().map((a) => a.delivery)).toEqual([1, 2]);
  });

  it('reorders held events: released newest first after the window', async () => {
    const { clock, dispatcher, received } = setup({ reorder: { rate: 1, window: '30s' } });
    for (const id of ['a', 'b', 'c']) dispatcher.emit({ id, type: 't', payload: {} });
    clock.advance(0);
    await run(clock, MINUTE, 10_000);
    expect(received.map((r) => r.id)).toEqual(['c', 'b', 'a']);
    expect(received[0]?.at).toBe(30_000);
  });

  it('drops events it was told to drop, and records them', async () => {
    const { clock, dispatcher, received } = setup({ drop: 1 });
    dispatcher.emit({ id: 'lost', type: 't', payload: {} });
    await run(clock, MINUTE);
    expect(received).toEqual([]);
    expect(dispatcher.dropped()).toEqual([{ eventId: 'lost', type: 't', reason: 'dropped' }]);
  });

  it('signs attempts with a wrong secret when told to, and a rejecting receiver makes it retry', async () => {
    const { clock, dispatcher, received } = setup({ badSignature: 1, retrySchedule: ['1m'] }, (_n, headers) => (headers.sig === 'good' ? 200 : 400));
    dispatcher.emit({ id: 'e', type: 't', payload: {} });
    clock.advance(0);
    await run(clock, 3 * MINUTE);
    expect(received.map((r) => r.sig)).toEqual(['bad', 'bad']);
    expect(dispatcher.attempts().every((a) => a.badSignature && !a.accepted)).toBe(true);
  });

  it('records events that had no endpoint to go to', () => {
    const clock = new ManualClock(0);
    const parsed = parseProfile({}, []);
    if (!parsed.ok) throw new Error('profile');
    const dispatcher = new WebhookDispatcher({ protocol, clock, random: new Random(1), settings: () => parsed.profile.webhooks, transport: async () => ({ status: 200, body: '' }) });
    dispatcher.emit({ id: 'e', type: 't', payload: {} });
    expect(dispatcher.dropped()).toEqual([{ eventId: 'e', type: 't', reason: 'no_endpoint' }]);
  });

  it('keeps a bounded log but exact totals', () => {
    const clock = new ManualClock(0);
    const parsed = parseProfile({}, []);
    if (!parsed.ok) throw new Error('profile');
    const dispatcher = new WebhookDispatcher({ protocol, clock, random: new Random(1), settings: () => parsed.profile.webhooks, transport: async () => ({ status: 200, body: '' }) });
    for (let i = 0; i < 3 * WEBHOOK_LOG_LIMIT; i++) dispatcher.emit({ id: `e${i}`, type: 't', payload: {} });
    expect(dispatcher.dropped()).toHaveLength(WEBHOOK_LOG_LIMIT);
    expect(dispatcher.dropped().at(-1)?.eventId).toBe(`e${3 * WEBHOOK_LOG_LIMIT - 1}`);
    expect(dispatcher.totals()).toMatchObject({ emitted: 3 * WEBHOOK_LOG_LIMIT, dropped: 3 * WEBHOOK_LOG_LIMIT });
  });

  it('cancels pending retries on close', async () => {
    const { clock, dispatcher, received } = setup({}, () => 500);
    dispatcher.emit({ id: 'e', type: 't', payload: {} });
    clock.advance(0);
    await flush();
    dispatcher.close();
    await run(clock, 60 * MINUTE);
    expect(received).toHaveLength(1);
    await dispatcher.settled();
  });

  it('sends every event to each endpoint the profile lists, and retries each on its own ladder', async () => {
    const clock = new ManualClock(0);
    const parsed = parseProfile({ webhooks: { url: ['http://a.test/hook', 'http://b.test/hook'], duplicate: 1 } }, []);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
    const sent: Array<{ url: string; at: number }> = [];
    const dispatcher = new WebhookDispatcher({
      protocol,
      clock,
      random: new Random(3),
      settings: () => parsed.profile.webhooks,
      // b is down for the first 30 s (both first attempts), a takes everything.
      transport: async (url) => {
        sent.push({ url, at: clock.now() });
        return { status: url.startsWith('http://b') && clock.now() < 30_000 ? 500 : 200, body: '' };
      },
    });
    dispatcher.emit({ id: 'evt_1', type: 't', payload: {} });
    clock.advance(0);
    await run(clock, 3 * MINUTE, 500);
    const to = (host: string) => dispatcher.attempts().filter((a) => a.url === `http://${host}.test/hook`).map((a) => [a.delivery, a.attempt, a.accepted]);
    // Each endpoint got the delivery and its duplicate; only b, which refused, was retried.
    expect(to('a')).toEqual([[1, 1, true], [2, 1, true]]);
    expect(to('b')).toEqual(expect.arrayContaining([[1, 1, false], [1, 2, true], [2, 1, false], [2, 2, true]]));
    expect(to('b')).toHaveLength(4);
    expect(dispatcher.totals()).toMatchObject({ emitted: 1, attempts: 6, accepted: 4 });
  });

  it('takes one endpoint or a list of 1 to 16, each an http(s) URL', () => {
    expect(parseProfile({ webhooks: { url: 'http://a.test/' } }, []).ok).toBe(true);
    expect(parseProfile({ webhooks: { url: ['http://a.test/', 'https://b.test/'] } }, []).ok).toBe(true);
    for (const url of [[], Array.from({ length: 17 }, (_, i) => `http://h${i}.test/`), ['ftp://a.test/']]) {
      const parsed = parseProfile({ webhooks: { url } }, []);
      expect(parsed.ok).toBe(false);
      if (!parsed.ok) expect(parsed.problems.map((p) => p.path).join()).toMatch(/^webhooks\.url/);
    }
  });

  it('sends only the event types the endpoints subscribe to (events), and counts no other', async () => {
    const { clock, dispatcher, received } = setup({ events: ['payment_intent.succeeded'] });
    dispatcher.emit({ id: 'evt_created', type: 'payment_intent.created', payload: {} });
    dispatcher.emit({ id: 'evt_paid', type: 'payment_intent.succeeded', payload: {} });
    clock.advance(0);
    await run(clock, MINUTE);
    expect(received.map((r) => r.id)).toEqual(['evt_paid']);
    expect(dispatcher.totals()).toMatchObject({ emitted: 1, attempts: 1 });
    // What callers ask before building a payload emit would discard.
    expect(dispatcher.subscribed('payment_intent.succeeded')).toBe(true);
    expect(dispatcher.subscribed('payment_intent.created')).toBe(false);
    expect(setup({}).dispatcher.subscribed('anything')).toBe(true);
  });
});
