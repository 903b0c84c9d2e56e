import { describe, expect, it } from 'vitest';
import { SHOPPER_MESSAGES, languageOf, shopperMessage, type Language } from '../../../gateway/messages.js';
import { NORMALISED_CODES } from '../../../src/conventions/index.js';

/** The codes of `table` lacking a usable English or Chinese message. */
function missingMessages(table: Readonly<Record<string, Partial<Record<Language, string>> | undefined>>): string[] {
  return Object.keys(NORMALISED_CODES).filter((code) => {
    const m = table[code];
    return !m || !m.en?.trim() || !/[\u4e00-\u9fff]/.test(m.zh ?? '');
  });
}

describe('shopper messages', () => {
  it('has an English and a Chinese message for every normalised code', () => {
    expect(missingMessages(SHOPPER_MESSAGES)).toEqual([]);
  });

  it('negative control: a table missing one code, or its Chinese, is caught', () => {
    const { expired_card: _gone, ...withoutOne } = SHOPPER_MESSAGES;
    expect(missingMessages(withoutOne)).toEqual(['expired_card']);
    expect(missingMessages({ ...SHOPPER_MESSAGES, rate_limited: { en: 'Busy.', zh: 'Busy.' } })).toEqual(['rate_limited']);
  });

  it('says what to do, never just "payment failed"', () => {
    for (const m of Object.values(SHOPPER_MESSAGES)) {
      expect(m.en).not.toMatch(/^payment failed\.?$/i);
      expect(m.zh).not.toMatch(/^支付失败。?$/);
    }
  });

  it('words expired_card as the issue asks', () => {
    expect(shopperMessage('expired_card')).toEqual({ language: 'en', message: 'Your card has expired. Use another card.' });
    expect(shopperMessage('expired_card', 'zh-CN')).toEqual({ language: 'zh', message: '银行卡已过期，请更换银行卡。' });
  });

  it('masks a fraud refusal as a plain decline', () => {
    expect(SHOPPER_MESSAGES.fraud_suspected).toEqual(SHOPPER_MESSAGES.card_declined);
  });

  it('tells the shopper whose payment may exist not to pay again', () => {
    expect(SHOPPER_MESSAGES.outcome_unknown.en).toMatch(/before paying again/);
    expect(SHOPPER_MESSAGES.outcome_unknown.zh).toMatch(/勿重复支付/);
  });
});

describe('languageOf (Accept-Language)', () => {
  it.each([
    [undefined, 'en'],
    ['', 'en'],
    ['zh-CN', 'zh'],
    ['zh', 'zh'],
    ['zh-Hant-TW', 'zh'],
    ['en-GB', 'en'],
    ['fr-FR', 'en'],
    ['fr-FR, zh;q=0.5', 'zh'],
    ['zh-CN,zh;q=0.9,en;q=0.8', 'zh'],
    ['en;q=0.8, zh-CN;q=0.9', 'zh'],
    ['zh;q=0.5, en;q=0.5', 'zh'],
    ['en;q=0.5, zh;q=0.5', 'en'],
    ['zh;q=0, *', 'en'],
    ['*;q=0.5, en;q=0', 'zh'],
    ['en;q=0', 'zh'],
    ['*', 'en'],
    ['zh;q=1.5, en;q=0.1', 'en'],
    ['zh;q=abc, en;q=0.1', 'en'],
    ['ZH-cn ; Q=0.7', 'zh'],
    [['fr', 'zh-TW;q=0.3'], 'zh'],
  ])('%j → %s', (header, expected) => {
    expect(languageOf(header as string | string[] | undefined)).toBe(expected);
  });
});
