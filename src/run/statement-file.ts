import { join } from 'node:path';
import { statementCsv, summarise, tallyByProvider, type Reconciliation } from '../analysis/index.js';
import { writeFileAtomic, type ReconciliationRecord } from '../report/index.js';

/** The statement's file name beside results.json (what results.json's `reconciliation.statement` says). */
export const STATEMENT_FILE = 'reconciliation.csv';

/** results.json's `reconciliation`: the statement in counts, overall and per provider. */
export function statementSummary(statement: Reconciliation): ReconciliationRecord {
  const s = summarise(statement);
  return { statement: STATEMENT_FILE, payments: s.payments, matched: s.matched, mismatches: s.mismatches, notYetDue: s.notYetDue, byKind: { ...s.byKind }, byProvider: tallyByProvider(statement.rows), unreconciled: { ...s.unreconciled } };
}

/**
 * `<outDir>/reconciliation.csv`: every row of the statement, the columns `paychaos reconcile`
 * writes, atomically (a reader never sees half a statement). Written before results.json, so a
 * results.json that names the file is never without it.
 */
export async function writeStatement(outDir: string, statement: Reconciliation): Promise<string> {
  const path = join(outDir, STATEMENT_FILE);
  await writeFileAtomic(path, statementCsv(statement.rows));
  return path;
}
