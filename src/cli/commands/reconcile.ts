import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { request } from 'undici';
import { SETTLEMENT_PROVIDERS, filterRows, formatSummary, parseBooks, readSettlements, reconcile, statementCsv, summarise, type BookEntry, type SettlementSource, type StatementFilter } from '../../analysis/index.js';
import { EXIT, paychaosError } from '../../kernel/index.js';
import { prepareOutFile, writeFileAtomic } from '../../report/index.js';
import type { CliIo } from '../io.js';

interface ReconcileFlags {
  books: string[];
  settlement: string[];
  out?: string;
  order?: string;
  since?: string;
  until?: string;
  method?: string;
}

/**
 * `paychaos reconcile --books <file|url>… --settlement [provider=]<file|url>…`: the gateway's
 * books (its `GET /ledger` export) against each provider's settlement report (version 2 of a
 * simulator's `/__sim/settlement.csv`), payment by payment, net of refunds. Writes the statement
 * (CSV, `--out` or stdout), filtered by `--order`, `--since`/`--until` (booking time) and
 * `--method`, and prints a summary. Exit 0 clean, 1 mismatches, 2 bad input.
 */
export function registerReconcile(program: Command, io: CliIo): void {
  program
    .command('reconcile')
    .description("match the gateway's books (GET /ledger) with each provider's settlement report; exit 1 on any mismatch")
    .requiredOption('--books <source...>', "the gateway's ledger export: a file or an http(s) URL (…/ledger); several are reconciled together (baseline and canary)")
    .requiredOption('--settlement <source...>', `a provider's settlement report, version 2 ([provider=]file or URL, e.g. stripe=http://127.0.0.1:4010/__sim/settlement.csv?version=2); providers: ${SETTLEMENT_PROVIDERS.join(', ')}`)
    .option('--out <file>', 'write the statement CSV here (default: stdout, with the summary on stderr)')
    .option('--order <orderId>', 'only this merchant order')
    .option('--since <time>', 'only payments booked at or after this ISO-8601 time')
    .option('--until <time>', 'only payments booked before this ISO-8601 time')
    .option('--method <paymentMethod>', 'only payments made with this payment method (as the gateway booked it)')
    .action(async (flags: ReconcileFlags) => {
      const filter = filterOf(flags);
      if (flags.out !== undefined) await prepareOutFile(flags.out);
      const books: BookEntry[] = [];
      for (const source of flags.books) books.push(...parseBooks(parseJson(await readSource(source, '--books'), source), `--books ${source}`));
      const reports: SettlementSource[] = [];
      for (const given of flags.settlement) {
        const { provider, source } = splitProvider(given);
        reports.push({ text: await readSource(source, '--settlement'), source: `--settlement ${source}`, provider });
      }
      const { records, reported } = readSettlements(reports);
      const result = reconcile(books, records, reported);
      const rows = filterRows(result.rows, filter);
      const summary = summarise(result, rows);
      const csv = statementCsv(rows);
      if (flags.out !== undefined) {
        await writeFileAtomic(flags.out, csv);
        io.stdout(`${formatSummary(summary)}\nstatement ${flags.out}\n`);
      } else {
        io.stdout(csv);
        io.stderr(`${formatSummary(summary)}\n`);
      }
      io.setExit(summary.mismatches > 0 ? EXIT.ASSERTION_FAILED : EXIT.OK);
    });
}

function filterOf(flags: ReconcileFlags): StatementFilter {
  const time = (flag: '--since' | '--until', text: string | undefined): number | undefined => {
    if (text === undefined) return undefined;
    const ms = Date.parse(text);
    if (Number.isNaN(ms)) throw paychaosError('PAYCHAOS_ERR_CLI_BAD_FLAG', `${flag} ${text}: expected an ISO-8601 date or time like 2026-11-11 or 2026-11-11T08:00:00Z`, { flag, value: text });
    return ms;
  };
  const since = time('--since', flags.since);
  const until = time('--until', flags.until);
  if (since !== undefined && until !== undefined && until <= since) throw paychaosError('PAYCHAOS_ERR_CLI_BAD_FLAG', `--until ${flags.until} is not after --since ${flags.since}`, { flag: '--until', value: flags.until });
  for (const [flag, value] of [['--order', flags.order], ['--method', flags.method]] as const) {
    if (value !== undefined && value.trim() === '') throw paychaosError('PAYCHAOS_ERR_CLI_BAD_FLAG', `${flag}: expected a value, got an empty one`, { flag });
  }
  return { ...(flags.order !== undefined ? { orderId: flags.order } : {}), ...(since !== undefined ? { since } : {}), ...(until !== undefined ? { until } : {}), ...(flags.method !== undefined ? { paymentMethod: flags.method } : {}) };
}

/** `stripe=path` → provider and source; a bare path or URL leaves the provider to the file's header. */
function splitProvider(given: string): { provider?: string; source: string } {
  const m = /^([a-z][a-z0-9]*)=(.+)$/.exec(given);
  if (!m) return { source: given };
  if (!SETTLEMENT_PROVIDERS.includes(m[1]!)) {
    throw paychaosError('PAYCHAOS_ERR_CLI_BAD_FLAG', `--settlement ${given}: unknown provider "${m[1]}"; expected one of ${SETTLEMENT_PROVIDERS.join(', ')}`, { flag: '--settlement', value: given });
  }
  return { provider: m[1]!, source: m[2]! };
}

async function readSource(source: string, flag: string): Promise<string> {
  if (/^https?:\/\//.test(source)) {
    const res = await request(source, { method: 'GET', headersTimeout: 10_000, bodyTimeout: 30_000 }).catch((err: unknown) => {
      throw paychaosError('PAYCHAOS_ERR_RECONCILE_UNREADABLE', `${flag} ${source}: ${err instanceof Error ? err.message : String(err)}`, { flag, value: source });
    });
    const text = await res.body.text();
    if (res.statusCode !== 200) throw paychaosError('PAYCHAOS_ERR_RECONCILE_UNREADABLE', `${flag} ${source}: answered ${res.statusCode}`, { flag, value: source });
    return text;
  }
  return readFile(source, 'utf8').catch((err: NodeJS.ErrnoException) => {
    throw paychaosError('PAYCHAOS_ERR_RECONCILE_UNREADABLE', `${flag} ${source}: ${err.code === 'ENOENT' ? 'no such file' : err.message}`, { flag, value: source });
  });
}

function parseJson(text: string, source: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw paychaosError('PAYCHAOS_ERR_RECONCILE_BAD_BOOKS', `--books ${source}: not JSON (${(err as Error).message})`, { flag: '--books', value: source });
  }
}
