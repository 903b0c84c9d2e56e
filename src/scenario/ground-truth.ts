import { request } from 'undici';
import type { LedgerRow } from '../analysis/index.js';
import { wiremockLedger } from '../../simulators/index.js';
import type { ProviderEndpoint } from './provider-stack.js';

/**
 * What really happened at every provider of a run: the union of their ledgers, read directly
 * (past the proxies — ground truth must not depend on a fault). A native simulator keeps its own
 * ledger; a WireMock provider's is rebuilt from WireMock's request journal.
 */
export async function readLedgers(endpoints: Readonly<Record<string, ProviderEndpoint>>): Promise<LedgerRow[]> {
  const all = await Promise.all(
    Object.values(endpoints).map((e) => (e.simulator.kind === 'wiremock' ? wiremockLedger(e.simulator.adminUrl, e.provider, e.journalMark ? { since: e.journalMark } : {}) : nativeLedger(e.directUrl))),
  );
  return all.flat();
}

async function nativeLedger(directUrl: string): Promise<LedgerRow[]> {
  const res = await request(`${directUrl}/__sim/ledger`, { method: 'GET' });
  if (res.statusCode !== 200) throw new Error(`GET ${directUrl}/__sim/ledger answered ${res.statusCode}`);
  const body = (await res.body.json()) as { entries: LedgerRow[] };
  return body.entries;
}
