import { paychaosError } from '../../kernel/index.js';
import { exponentOf, minorToMajorText } from './money.js';

/**
 * PayPal's Settlement Report as PayPal delivers it (developer.paypal.com/docs/reports/sftp-reports/
 * settlement-report, "Settlement Report Specification"): every line starts with its record type,
 *
 *   RH report header · FH file header · SH section header · CH the section's column names ·
 *   SB one transaction · SF section footer · SC / RC record counts · FF file footer · RF report footer
 *
 * and money is unsigned, without a decimal separator, two decimals implied whatever the currency
 * ("100,00 yen and $100.00 USD are both represented as 10000"); the Debit or Credit columns give
 * the direction. The reader's table form is one header line and one line per movement, amounts in
 * the currency's major units: this turns the framed file into it — the CH columns as the header,
 * each SB line under them (a section whose CH orders its columns differently is re-ordered by
 * name), its amounts as decimal text. Anything not starting with RH is left to the other readers.
 */
export interface ReportTable {
  readonly header: readonly string[];
  readonly body: readonly (readonly string[])[];
  /** The file line (1-based) each body line came from, for errors. */
  readonly lineOf: readonly number[];
}

/** Each amount column and the column naming its currency. */
const AMOUNTS: ReadonlyArray<readonly [amount: string, currency: string]> = [
  ['Gross Transaction Amount', 'Gross Transaction Currency'],
  ['Fee Amount', 'Fee Currency'],
];

export function paypalStlTable(rows: readonly (readonly string[])[], source: string): ReportTable | undefined {
  if (rows[0]?.[0] !== 'RH') return undefined;
  let header: readonly string[] | undefined;
  let current: readonly string[] | undefined;
  const body: string[][] = [];
  const lineOf: number[] = [];
  rows.forEach((row, i) => {
    if (row[0] === 'CH') {
      current = row.slice(1);
      header ??= current;
      return;
    }
    if (row[0] !== 'SB') return;
    const where = `${source}:${i + 1}`;
    if (!header || !current) throw paychaosError('PAYCHAOS_ERR_RECONCILE_BAD_SETTLEMENT', `${where}: an SB line before any CH line naming the columns`, { source: where });
    const named = new Map(current.map((h, k) => [h, row[k + 1] ?? '']));
    for (const [amount, currencyColumn] of AMOUNTS) {
      const text = named.get(amount);
      if (text === undefined || text === '') continue;
      const currency = named.get(currencyColumn) || named.get('Gross Transaction Currency') || '';
      named.set(amount, impliedCentsToMajor(text, currency, `${where} ${amount}`));
    }
    body.push(header.map((h) => named.get(h) ?? ''));
    lineOf.push(i + 1);
  });
  if (!header) throw paychaosError('PAYCHAOS_ERR_RECONCILE_BAD_SETTLEMENT', `${source}: a PayPal Settlement Report (RH first) without a CH line naming its columns`, { source });
  return { header, body, lineOf };
}

/** "10000" with two decimals implied, in `currency`'s major units: "100.00" USD, "100" JPY, "100.000" KWD. */
function impliedCentsToMajor(text: string, currency: string, where: string): string {
  if (!/^\d+$/.test(text.trim())) throw paychaosError('PAYCHAOS_ERR_RECONCILE_BAD_SETTLEMENT', `${where}: expected an unsigned amount without a decimal separator (10000 is 100.00), got "${text}"`, { field: where });
  const cents = Number(text.trim());
  const exp = exponentOf(currency);
  const minor = exp >= 2 ? cents * 10 ** (exp - 2) : cents / 10 ** (2 - exp);
  if (!Number.isInteger(minor)) throw paychaosError('PAYCHAOS_ERR_RECONCILE_BAD_SETTLEMENT', `${where}: ${text} (two decimals implied) is not a whole amount of ${currency.toUpperCase()}`, { field: where });
  return minorToMajorText(minor, currency);
}
