import { readFile } from 'node:fs/promises';
import { parseCsv } from '../../analysis/index.js';
import { paychaosError } from '../../kernel/index.js';

/** How many statement rows a report lists: every mismatch up to the first bound, then matched rows up to the second. */
export const STATEMENT_LIMITS: Readonly<{ mismatched: number; matched: number }> = Object.freeze({ mismatched: 500, matched: 200 });

/** The statement as a report shows it: a bounded selection of reconciliation.csv's rows, by column name. */
export interface StatementExcerpt {
  /** Rows by column name (reconciliation.csv's header), mismatches first, in the file's order. */
  readonly rows: readonly Readonly<Record<string, string>>[];
  readonly total: number;
  readonly mismatchedTotal: number;
}

/**
 * reconciliation.csv beside results.json, bounded (a long run's statement has a row per payment;
 * the CSV keeps them all). No file is not an error — a results.json alone still renders — so it
 * resolves undefined; a file that exists but cannot be read or parsed is.
 */
export async function readStatement(path: string, limits: Readonly<{ mismatched: number; matched: number }> = STATEMENT_LIMITS): Promise<StatementExcerpt | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw paychaosError('PAYCHAOS_ERR_RESULTS_INVALID', `cannot read ${path}: ${(err as Error).message}`, { path }, { cause: err });
  }
  const [header, ...lines] = parseCsv(text, path);
  if (!header?.includes('order_id') || !header.includes('status')) {
    throw paychaosError('PAYCHAOS_ERR_RESULTS_INVALID', `${path} is not a reconciliation statement: its header must name order_id and status columns (write it with paychaos run or paychaos reconcile)`, { path });
  }
  const records = lines.map((fields) => Object.fromEntries(header.map((h, i) => [h, fields[i] ?? ''])));
  const mismatched = records.filter((r) => r.status !== 'matched');
  const matched = records.filter((r) => r.status === 'matched');
  return { rows: [...mismatched.slice(0, limits.mismatched), ...matched.slice(0, limits.matched)], total: records.length, mismatchedTotal: mismatched.length };
}
