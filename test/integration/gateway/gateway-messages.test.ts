import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { buildGateway, type BuiltGateway } from '../../../gateway/index.js';
import { startStripeSim } from '../../../simulators/index.js';

/** Failed answers carry a message the shopper can act on, in English or Chinese by Accept-Language. */
let stripe: Awaited<ReturnType<typeof startStripeSim>>;
let gw: BuiltGateway;
beforeAll(async () => {
  stripe = await startStripeSim({ seed: 501 });
  gw = buildGateway({ providers: { stripe: { url: stripe.url } }, recovery: { intervalMs: 3_600_000 } });
});
afterAll(async () => {
  await gw?.close();
  await stripe?.close();
});

let n = 0;
const pay = (headers: Record<string, string>) => {
  const orderId = `msg_${process.pid}_${++n}`;
  return gw.app.inject({ method: 'POST', url: '/payments', headers: { 'idempotency-key': `k-${orderId}`, ...headers }, payload: { orderId, amount: 1500, currency: 'eur', paymentMethod: 'pm_card_visa' } });
};

describe('shopper messages on failed answers', () => {
  it('an expired card reads "use another card", in the language asked for; the poll of the same payment in another language reads its own', async () => {
    stripe.behaviour.apply({ outcomes: { expired_card: 1 } });
    onTestFinished(() => void stripe.behaviour.apply({}));
    const en = await pay({ 'accept-language': 'en-GB,en;q=0.9' });
    expect(en.statusCode).toBe(402);
    expect(en.json()).toMatchObject({ status: 'failed', errorCode: 'expired_card', message: 'Your card has expired. Use another card.' });
    const zh = await pay({ 'accept-language': 'zh-CN,zh;q=0.9,en;q=0.5' });
    expect(zh.json()).toMatchObject({ errorCode: 'expired_card', message: '银行卡已过期，请更换银行卡。' });
    // No header: English. The message is not stored: a poll in Chinese of the English answer's payment reads Chinese.
    expect((await pay({})).json().message).toBe('Your card has expired. Use another card.');
    const poll = await gw.app.inject({ method: 'GET', url: `/payments/${en.json().paymentId}`, headers: { 'accept-language': 'zh' } });
    expect(poll.json().message).toBe('银行卡已过期，请更换银行卡。');
  });

  it('a success carries no message', async () => {
    const ok = await pay({ 'accept-language': 'zh' });
    expect(ok.statusCode).toBe(201);
    expect(ok.json().message).toBeUndefined();
  });
});
