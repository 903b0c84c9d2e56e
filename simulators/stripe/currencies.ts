/**
 * The ISO 4217 currencies Stripe takes as a PaymentIntent's `currency`, lowercase as the API
 * writes them.
 *
 * Source: Stripe's "Supported currencies" page (https://docs.stripe.com/currencies), presentment
 * currencies for a US account, plus the three-decimal currencies the same page lists (bhd, jod,
 * kwd, omr, tnd) and xcg, which replaced ang in 2025. Stripe answers any other code with the
 * message below, whose list starts with usd and then runs alphabetically; the exact list differs
 * by account country and over time, so this one errs on the side of accepting (a real account
 * may refuse a few of these with "Stripe accounts in <country> do not support <currency>").
 */
export const STRIPE_CURRENCIES: ReadonlySet<string> = new Set([
  'usd', 'aed', 'afn', 'all', 'amd', 'ang', 'aoa', 'ars', 'aud', 'awg', 'azn', 'bam', 'bbd', 'bdt', 'bgn', 'bhd', 'bif', 'bmd', 'bnd', 'bob',
  'brl', 'bsd', 'bwp', 'byn', 'bzd', 'cad', 'cdf', 'chf', 'clp', 'cny', 'cop', 'crc', 'cve', 'czk', 'djf', 'dkk', 'dop', 'dzd', 'egp', 'etb',
  'eur', 'fjd', 'fkp', 'gbp', 'gel', 'gip', 'gmd', 'gnf', 'gtq', 'gyd', 'hkd', 'hnl', 'htg', 'huf', 'idr', 'ils', 'inr', 'isk', 'jmd', 'jod',
  'jpy', 'kes', 'kgs', 'khr', 'kmf', 'krw', 'kwd', 'kyd', 'kzt', 'lak', 'lbp', 'lkr', 'lrd', 'lsl', 'mad', 'mdl', 'mga', 'mkd', 'mmk', 'mnt',
  'mop', 'mur', 'mvr', 'mwk', 'mxn', 'myr', 'mzn', 'nad', 'ngn', 'nio', 'nok', 'npr', 'nzd', 'omr', 'pab', 'pen', 'pgk', 'php', 'pkr', 'pln',
  'pyg', 'qar', 'ron', 'rsd', 'rub', 'rwf', 'sar', 'sbd', 'scr', 'sek', 'sgd', 'shp', 'sle', 'sos', 'srd', 'std', 'szl', 'thb', 'tjs', 'tnd',
  'top', 'try', 'ttd', 'twd', 'tzs', 'uah', 'ugx', 'uyu', 'uzs', 'vnd', 'vuv', 'wst', 'xaf', 'xcd', 'xcg', 'xof', 'xpf', 'yer', 'zar', 'zmw',
]);

const LISTED = [...STRIPE_CURRENCIES].join(', ');

/** Whether Stripe takes `currency` (any case: the API lowercases it). */
export function isStripeCurrency(currency: string): boolean {
  return STRIPE_CURRENCIES.has(currency.toLowerCase());
}

/** Stripe's message for a currency it does not take, e.g. "Invalid currency: zzz. Stripe currently supports these currencies: usd, aed, …". */
export function invalidCurrencyMessage(currency: string): string {
  return `Invalid currency: ${currency.toLowerCase()}. Stripe currently supports these currencies: ${LISTED}`;
}
