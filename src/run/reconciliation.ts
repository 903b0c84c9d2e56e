import { setTimeout as sleep } from 'node:timers/promises';
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
 *                         ──GET …&pending=true──► movements not yet due (the provider's cycle)
 *        ──► reconcile ──► reconciliation-clean;  books ──► ledger-balances
 *   every provider's ledger (direct) + books ──► disputes-booked
 *
 * Asked while the systems still answer (like orders-settled), so it runs only when the scenario
 * asks for one of the two. A system without `GET /ledger` (a user's own gateway) leaves both
 * not evaluated, said so in the results. Providers described by WireMock have no settlement
 * report: their book entries are not judged (the reconciliation counts them as unreconciled).
 *
 * Settlement runs on each provider's cycle (T+1, T+2 …) on the simulator's clock. When the run's
 * time scale brings the last scheduled day within `cycleWaitMs` of real time, the read waits for it
 * (in simulated time that is days) and reads again, so the file then holds every line; otherwise
 * (a scale of 1: days are days) what is not due is reported apart, as not yet due, never missing.
 */
export async function checkBooks(
  providers: Readonly<Record<string, ProviderEndpoint>>,
  systems: Partial<Record<Variant, { readonly url: string }>>,
  options: { timeoutMs?: number; clockScale?: number; cycleWaitMs?: number } = {},
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
  const read = async (pending: boolean): Promise<{ reports: SettlementSource[]; waitMs: number }> => {
    const reports: SettlementSource[] = [];
    let waitMs = 0;
    for (const endpoint of Object.values(providers)) {
      if (endpoint.simulator.adminUrl !== undefined || !SETTLEMENT_PROVIDERS.includes(endpoint.provider)) continue;
      const url = `${endpoint.directUrl}/__sim/settlement.csv?version=2${pending ? '&pending=true' : ''}`;
      const res = await request(url, { method: 'GET', headersTimeout: timeoutMs, bodyTimeout: timeoutMs });
      const text = await res.body.text();
      if (res.statusCode !== 200) throw new Error(`GET ${url} answered ${res.statusCode}: ${text.slice(0, 200)}`);
      reports.push({ text, source: `${endpoint.provider} settlement${pending ? ' (not yet due)' : ''}`, provider: endpoint.provider });
      if (pending) waitMs = Math.max(waitMs, realWaitFor(text, endpoint.provider, res.headers['paychaos-settlement-as-of'], options.clockScale ?? 1));
    }
    return { reports, waitMs };
  };
  let scheduled = await read(true);
  const cycleWaitMs = options.cycleWaitMs ?? CYCLE_WAIT_MS;
  if (scheduled.waitMs > 0 && scheduled.waitMs <= cycleWaitMs) {
    await sleep(scheduled.waitMs);
    scheduled = await read(true);
  }
  const { records, reported } = readSettlements((await read(false)).reports);
  // Read after the file: a line due in between is then in the file, not counted twice.
  const inFile = new Set(records.map((r) => `${r.provider}\u0000${r.kind}\u0000${r.movementRef}`));
  const pending = readSettlements(scheduled.reports).records.filter((p) => !inFile.has(`${p.provider}\u0000${p.kind}\u0000${p.movementRef}`));
  const ledgers = await readLedgers(providers);
  // The statement goes with the verdict: the run writes it beside results.json (statement-file.ts).
  const statement = reconcile(books, records, reported, pending);
  return { reconciliation: checkReconciliationClean(statement), balances: checkLedgerBalances(books), disputes: checkDisputesBooked(ledgers, books), statement };
}

/** How long, at most, a run waits (real time) for its providers' last settlement day to come. */
export const CYCLE_WAIT_MS = 10_000;

/**
 * Real milliseconds until the last day `pendingCsv` schedules has come on the provider's clock, which
 * read `asOfHeader` when it answered and runs `scale` times real time; Infinity when it cannot tell.
 * A day is taken as starting at its UTC midnight — the latest start of any zone at or east of UTC,
 * where every provider reports — plus 100 ms of slack for timers and the reads themselves.
 */
function realWaitFor(pendingCsv: string, provider: string, asOfHeader: string | string[] | undefined, scale: number): number {
  const days = readSettlements([{ text: pendingCsv, source: `${provider} pending`, provider }]).records.map((r) => r.settlesOn);
  if (days.length === 0) return 0;
  const asOf = typeof asOfHeader === 'string' ? Date.parse(asOfHeader) : Number.NaN;
  if (Number.isNaN(asOf) || days.some((d) => d === undefined)) return Number.POSITIVE_INFINITY;
  const last = days.reduce((m, d) => Math.max(m, Date.parse(`${d}T00:00:00Z`)), Number.NEGATIVE_INFINITY);
  return Math.max(0, (last - asOf) / scale) + 100;
}

function notEvaluated(name: string, unit: string, reason: string): InvariantResult {
  return { name, unit, passed: true, checked: 0, violations: [], notEvaluated: reason };
}
