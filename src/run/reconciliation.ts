import { request } from 'undici';
import { SETTLEMENT_PROVIDERS, checkDisputesBooked, checkLedgerBalances, checkReconciliationClean, parseBooks, readSettlements, reconcile, type BookEntry, type InvariantResult, type Reconciliation, type SettlementSource } from '../analysis/index.js';
import type { Variant } from '../conventions/index.js';
import type { ProviderEndpoint } from '../stack/index.js';
import { readLedgers } from './ground-truth.js';

/**
 * The gateway's books against the providers' settlements, after the load:
 *
 *   each system under test ──GET /ledger──► its books (baseline and canary share the providers,
 *                                            so their books are reconciled together)
 *   each native simulator ──GET /__sim/settlement.csv?version=2 (direct, past the proxies)──► lines
 *        ──► reconcile ──► reconciliation-clean;  books ──► ledger-balances
 *   every provider's ledger (direct) + books ──► disputes-booked
 *
 * Asked while the systems still answer (like orders-settled), so it runs only when the scenario
 * asks for one of the two. A system without `GET /ledger` (a user's own gateway) leaves both
 * not evaluated, said so in the results. Providers described by WireMock have no settlement
 * report: their book entries are not judged (the reconciliation counts them as unreconciled).
 */
export async function checkBooks(
  providers: Readonly<Record<string, ProviderEndpoint>>,
  systems: Partial<Record<Variant, { readonly url: string }>>,
  options: { timeoutMs?: number } = {},
): Promise<{ reconciliation: InvariantResult; balances: InvariantResult; disputes: InvariantResult; statement?: Reconciliation }> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const books: BookEntry[] = [];
  const without: string[] = [];
  for (const [variant, system] of Object.entries(systems)) {
    if (!system) continue;
    const res = await request(`${system.url}/ledger`, { method: 'GET', headersTimeout: timeoutMs, bodyTimeout: timeoutMs }).catch(() => undefined);
    if (!res || res.statusCode !== 200) {
      await res?.body.dump();
      without.push(variant);
      continue;
    }
    books.push(...parseBooks(await res.body.json(), `${variant} GET /ledger`));
  }
  if (without.length > 0) {
    const reason = `the system under test (${without.join(', ')}) does not export its ledger (GET /ledger)`;
    return { reconciliation: notEvaluated('reconciliation-clean', 'payments', reason), balances: notEvaluated('ledger-balances', 'journal entries', reason), disputes: notEvaluated('disputes-booked', 'disputed payments', reason) };
  }
  const reports: SettlementSource[] = [];
  for (const endpoint of Object.values(providers)) {
    if (endpoint.simulator.adminUrl !== undefined || !SETTLEMENT_PROVIDERS.includes(endpoint.provider)) continue;
    const url = `${endpoint.directUrl}/__sim/settlement.csv?version=2`;
    const res = await request(url, { method: 'GET', headersTimeout: timeoutMs, bodyTimeout: timeoutMs });
    const text = await res.body.text();
    if (res.statusCode !== 200) throw new Error(`GET ${url} answered ${res.statusCode}: ${text.slice(0, 200)}`);
    reports.push({ text, source: `${endpoint.provider} settlement`, provider: endpoint.provider });
  }
  const { records, reported } = readSettlements(reports);
  const ledgers = await readLedgers(providers);
  // The statement goes with the verdict: the run writes it beside results.json (statement-file.ts).
  const statement = reconcile(books, records, reported);
  return { reconciliation: checkReconciliationClean(statement), balances: checkLedgerBalances(books), disputes: checkDisputesBooked(ledgers, books), statement };
}

function notEvaluated(name: string, unit: string, reason: string): InvariantResult {
  return { name, unit, passed: true, checked: 0, violations: [], notEvaluated: reason };
}
