import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { request } from 'undici';
import { z } from 'zod';
import { startChaosControl } from '../chaos/index.js';
import { paychaosError, parseStrict, readConfigFile } from '../kernel/index.js';
import { markWireMockJournal } from '../../simulators/index.js';
import { providerStack, type ProviderEndpoint, type StartedProviderStack } from './provider-stack.js';

/**
 * A stack another process keeps running (`paychaos up`), described so that a run can use it
 * instead of starting its own: the providers a user's gateway already charges through, their
 * proxies on the same Toxiproxy, and the ledgers ground truth reads. That is what lets the money
 * invariants judge a gateway paychaos did not start (`paychaos run --attach DIR --target URL`).
 *
 *   paychaos up ──writes──► <out>/attach.json ──read by──► paychaos run --attach <out>
 */
export const ATTACH_FILE = 'attach.json';

const endpoint = z.strictObject({
  url: z.url(),
  directUrl: z.url(),
  proxy: z.string().min(1),
  kind: z.enum(['native', 'wiremock']),
  adminUrl: z.url().optional(),
});

const attachSchema = z.strictObject({
  paychaos: z.literal('attach', { error: 'expected "attach": this is not a file `paychaos up` wrote' }),
  version: z.literal(1, { error: 'expected 1: written by another paychaos version; restart `paychaos up` with this one' }),
  runId: z.string().min(1),
  toxiproxy: z.url(),
  providers: z.record(z.string().min(1), endpoint).refine((p) => Object.keys(p).length > 0, 'no providers: `paychaos up` writes at least one'),
  gateways: z.record(z.string(), z.url()).optional(),
  /** Its embedded OTLP receiver (absent when a collector was configured): an attached run reads its spans there. */
  telemetry: z.url().optional(),
});

export type AttachDocument = z.output<typeof attachSchema>;

/** What `paychaos up` writes: every provider's proxied and direct address, the Toxiproxy API, and its OTLP receiver. */
export function attachDocument(runId: string, stack: StartedProviderStack, gateways: Readonly<Record<string, string>> = {}, telemetry?: string): AttachDocument {
  return {
    paychaos: 'attach',
    version: 1,
    runId,
    toxiproxy: stack.chaos.url,
    providers: Object.fromEntries(
      Object.values(stack.providers).map((p) => [p.provider, { url: p.url, directUrl: p.directUrl, proxy: p.proxy, kind: p.simulator.kind, ...(p.simulator.adminUrl !== undefined ? { adminUrl: p.simulator.adminUrl } : {}) }]),
    ),
    ...(Object.keys(gateways).length > 0 ? { gateways: { ...gateways } } : {}),
    ...(telemetry !== undefined ? { telemetry } : {}),
  };
}

/** Read `--attach` (a directory holding attach.json, or the file), strictly. */
export async function readAttachFile(path: string): Promise<AttachDocument> {
  let file = path;
  try {
    if ((await stat(path)).isDirectory()) file = join(path, ATTACH_FILE);
  } catch {
    // readConfigFile names the missing path with the right code.
  }
  const document = await readConfigFile(file, 'PAYCHAOS_ERR_STACK_ATTACH_INVALID', 'attach file');
  return parseStrict(attachSchema, document, 'PAYCHAOS_ERR_STACK_ATTACH_INVALID', `attach file ${file}`) as AttachDocument;
}

/**
 * The providers of a running `paychaos up`, as a provider stack: faults go to its Toxiproxy,
 * ledgers are read from its simulators. Every part must answer first; closing only undoes this
 * run's faults and deletes the proxies this run made — the attached stack keeps running.
 */
export async function attachProviderStack(doc: AttachDocument): Promise<StartedProviderStack> {
  const dead: string[] = [];
  await Promise.all(
    Object.entries(doc.providers).map(async ([name, p]) => {
      if (!(await answers(`${p.directUrl}/__sim/health`))) dead.push(`${name} (${p.directUrl})`);
    }),
  );
  if (!(await answers(`${doc.toxiproxy}/version`))) dead.push(`toxiproxy (${doc.toxiproxy})`);
  if (dead.length > 0) throw paychaosError('PAYCHAOS_ERR_STACK_ATTACH_UNREACHABLE', `the attached stack ${doc.runId} does not answer: ${dead.sort().join(', ')}`, { runId: doc.runId, parts: dead });
  const chaos = await startChaosControl({ toxiproxyUrl: doc.toxiproxy });
  const providers: Record<string, ProviderEndpoint> = {};
  try {
    for (const [name, p] of Object.entries(doc.providers)) {
      const direct = new URL(p.directUrl);
      const simulator = { kind: p.kind, url: p.directUrl, host: direct.hostname, port: Number(direct.port), ...(p.adminUrl !== undefined ? { adminUrl: p.adminUrl } : {}), close: async () => {} };
      // Only what this run adds to a WireMock journal is this run's ledger.
      const journalMark = p.adminUrl !== undefined ? await markWireMockJournal(p.adminUrl) : undefined;
      providers[name] = { provider: name, proxy: p.proxy, url: p.url, directUrl: p.directUrl, simulator, ...(journalMark ? { journalMark } : {}) };
    }
  } catch (err) {
    await chaos.close().catch(() => {});
    throw err;
  }
  return providerStack(providers, chaos, () => chaos.close());
}

async function answers(url: string): Promise<boolean> {
  try {
    const res = await request(url, { method: 'GET', headersTimeout: 3000, bodyTimeout: 3000 });
    await res.body.dump();
    return res.statusCode < 500;
  } catch {
    return false;
  }
}
