import { NORMALISED_CODES, type NormalisedCode } from '../src/conventions/index.js';

/**
 * What the shopper reads when a payment fails: one message per normalised code that says what
 * to do next ("use another card", "try again in a few minutes"), never "payment failed", in
 * English and Simplified Chinese, chosen by the request's Accept-Language.
 *
 * Two rules shape the wording. Fraud and lost/stolen cards (fraud_suspected) read as a plain
 * decline: telling a fraudster why helps the fraudster. And codes that are the gateway's or the
 * provider's fault (invalid_request, provider_error, outcome_unknown …) never blame the shopper;
 * outcome_unknown in particular says the charge may exist, so the shopper does not pay twice.
 */
export type Language = 'en' | 'zh';

export const SHOPPER_MESSAGES: Readonly<Record<NormalisedCode, Readonly<Record<Language, string>>>> = Object.freeze({
  card_declined: { en: 'Your card was declined. Use another card or payment method.', zh: '银行卡被拒绝，请更换银行卡或其他支付方式。' },
  insufficient_funds: { en: 'Your card has insufficient funds. Use another card, or try again later.', zh: '银行卡余额不足，请更换银行卡或稍后再试。' },
  expired_card: { en: 'Your card has expired. Use another card.', zh: '银行卡已过期，请更换银行卡。' },
  incorrect_cvc: { en: "The security code (CVC) is incorrect. Check the 3 or 4 digits on your card and try again.", zh: '安全码（CVC）不正确，请核对银行卡上的 3 位或 4 位数字后重试。' },
  invalid_payment_data: { en: 'Some card details are incorrect. Check the card number and expiry date and try again.', zh: '银行卡信息有误，请核对卡号和有效期后重试。' },
  // Deliberately the same as a decline: the shopper is not told a fraud check refused them.
  fraud_suspected: { en: 'Your card was declined. Use another card or payment method.', zh: '银行卡被拒绝，请更换银行卡或其他支付方式。' },
  limit_exceeded: { en: 'This payment is over your card\'s limit. Use another card, or contact your bank.', zh: '本次支付超出银行卡限额，请更换银行卡或联系发卡行。' },
  authentication_required: { en: 'Your bank needs you to confirm this payment. Try again and complete the verification.', zh: '发卡行需要您验证本次支付，请重试并完成验证。' },
  authentication_failed: { en: 'We could not verify this payment with your bank. Try again, or use another card.', zh: '未能通过发卡行验证，请重试或更换银行卡。' },
  issuer_unavailable: { en: 'Your bank could not be reached. Try again in a few minutes.', zh: '暂时无法连接发卡行，请几分钟后再试。' },
  order_closed: { en: 'This order has closed. Start a new order to pay.', zh: '该订单已关闭，请重新下单后支付。' },
  duplicate_transaction: { en: 'This payment has already been made. Check your order before paying again.', zh: '该笔支付已完成，请先查看订单，勿重复支付。' },
  invalid_request: { en: 'Something went wrong on our side. You have not been charged; please try again later.', zh: '系统出现问题，您未被扣款，请稍后再试。' },
  rate_limited: { en: 'We are very busy right now. Try again in a moment.', zh: '当前支付人数较多，请稍后再试。' },
  provider_unavailable: { en: 'The payment service is temporarily unavailable. Try again in a few minutes, or use another payment method.', zh: '支付服务暂时不可用，请几分钟后再试或更换支付方式。' },
  provider_error: { en: 'We are confirming your payment. Check your order status before paying again.', zh: '正在确认支付结果，请先查看订单状态，勿重复支付。' },
  outcome_unknown: { en: 'We are confirming your payment. Check your order status before paying again.', zh: '正在确认支付结果，请先查看订单状态，勿重复支付。' },
  network_error: { en: 'The connection was interrupted. Check your connection and try again.', zh: '网络连接中断，请检查网络后重试。' },
  unknown: { en: 'We are confirming your payment. Check your order status before paying again.', zh: '正在确认支付结果，请先查看订单状态，勿重复支付。' },
} satisfies Record<keyof typeof NORMALISED_CODES, Record<Language, string>>);

export const DEFAULT_LANGUAGE: Language = 'en';

/**
 * The language to answer in, from an Accept-Language header (RFC 9110 §12.5.4): ranges with
 * q-values (default 1; q=0 means "not this"), the highest q winning and, among equals, the
 * first listed. `zh`, `zh-CN`, `zh-Hans`, `zh-TW` … all match Chinese (we have one Chinese
 * text); `en-*` English; `*` whichever of ours is not named. No header, or nothing we have, gives
 * English — Chinese only when English alone was refused (`en;q=0`).
 */
export function languageOf(acceptLanguage: string | readonly string[] | undefined): Language {
  const header = Array.isArray(acceptLanguage) ? acceptLanguage.join(',') : (acceptLanguage as string | undefined);
  if (header === undefined || header.trim() === '') return DEFAULT_LANGUAGE;
  const entries: Array<{ lang: Language | '*'; q: number }> = [];
  for (const part of header.split(',')) {
    const [rangeText, ...params] = part.split(';');
    const range = (rangeText ?? '').trim().toLowerCase();
    const lang = range === '*' ? '*' : range === 'zh' || range.startsWith('zh-') ? 'zh' : range === 'en' || range.startsWith('en-') ? 'en' : undefined;
    if (lang === undefined) continue;
    let q = 1;
    for (const p of params) {
      const m = /^\s*q\s*=\s*(.*?)\s*$/i.exec(p);
      // A q-value that is not 0–1 with up to three decimals is no preference we can honour.
      if (m) q = /^(0(\.\d{0,3})?|1(\.0{0,3})?)$/.test(m[1]!) ? Number(m[1]) : 0;
    }
    entries.push({ lang, q });
  }
  // "zh;q=0" refuses Chinese whatever a "*" says; "*" stands for the languages not named.
  const refused = new Set(entries.filter((e) => e.q === 0 && e.lang !== '*').map((e) => e.lang));
  const named = new Set(entries.map((e) => e.lang));
  let best: { lang: Language; q: number } | undefined;
  for (const e of entries) {
    if (e.q === 0) continue;
    const lang = e.lang === '*' ? ([DEFAULT_LANGUAGE, 'zh'] as const).find((l) => !named.has(l) && !refused.has(l)) : refused.has(e.lang) ? undefined : e.lang;
    if (lang !== undefined && (!best || e.q > best.q)) best = { lang, q: e.q };
  }
  if (best) return best.lang;
  // Nothing we have is acceptable: English, unless only English was refused.
  return refused.has(DEFAULT_LANGUAGE) && !refused.has('zh') ? 'zh' : DEFAULT_LANGUAGE;
}

/** The shopper's message for a normalised code, in the language the Accept-Language header prefers. */
export function shopperMessage(code: NormalisedCode, acceptLanguage?: string | readonly string[]): { language: Language; message: string } {
  const language = languageOf(acceptLanguage);
  return { language, message: SHOPPER_MESSAGES[code][language] };
}
