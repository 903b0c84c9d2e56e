// Reconciliation: the gateway's books against the providers' settlement reports (pure; the
// reading of files and URLs is the CLI's and the run engine's).
export { parseCsv } from './csv.js';
export { exponentOf, majorToMinor, minorToMajorText } from './money.js';
export { SETTLEMENT_PROVIDERS, SPLIT_KINDS, SPLIT_REPORTING_PROVIDERS, parseSettlement, readSettlement, readSettlements, type SettlementSource } from './settlement-formats.js';
export type { SettlementRecord, SettledKind, SplitKind } from './settlement-formats.js';
export { bookEntrySchema, parseBooks } from './books.js';
export type { BookEntry } from './books.js';
export { MISMATCH_KINDS, reconcile } from './match.js';
export type { Mismatch, MismatchKind, NotYetDue, Reconciliation, StatementRow } from './match.js';
export { filterRows, formatSummary, statementCsv, summarise, tallyByProvider } from './statement.js';
export type { ProviderTally, ReconcileSummary, StatementFilter } from './statement.js';
