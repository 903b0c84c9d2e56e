import { join } from 'node:path';
import { startChaosControl, type ChaosControl } from '../chaos/index.js';
import { Supervisor } from './supervisor.js';
import { markWireMockJournal, startSimulator, type JournalMark, type SimulatorStartOptions, type StartedSimulator } from '../../simulators/index.js';

/**
 * Providers as a stack sees them (DESIGN.md "The stack"): every simulator — native, or a real
 * WireMock serving a provider's stubs — stands behind its own Toxiproxy proxy, so one fault
 * vocabulary reaches all of them and callers only ever use the proxied address.
 *
 *   caller ──► proxy "<provider>" (Toxiproxy API: embedded, or TOXIPROXY_URL) ──► simulator
 */
export interface ProviderEndpoint {
  /** `stripe`, `alipay`, `wiremock:localwallet` … */
  readonly provider: string;
  /** The Toxiproxy proxy's name: the provider with anything but letters, digits, _ and - replaced. */
  readonly proxy: string;
  /** Where callers go: through the proxy. */
  readonly url: string;
  /** The simulator itself, bypassing faults (ledger reads, debugging). */
  readonly directUrl: string;
  readonly simulator: StartedSimulator;
  /** WireMock providers: a request left in the journal at start, so a journal that lost requests is caught. */
  readonly journalMark?: JournalMark;
}

export interface StartedProviderStack extends AsyncDisposable {
  readonly providers: Readonly<Record<string, ProviderEndpoint>>;
  readonly chaos: ChaosControl;
  /** Every part's address, for stack.json. */
  addresses(): Record<string, string>;
  close(): Promise<void>;
}

export interface ProviderStackOptions {
  providers: readonly string[];
  seed?: number;
  /** Toxiproxy to use; default TOXIPROXY_URL, else an embedded server. */
  toxiproxyUrl?: string;
  logDir?: string;
  /** Start options every simulator gets (a WireMock provider takes none of these but the seed). */
  simulator?: Omit<SimulatorStartOptions, 'seed' | 'port' | 'host' | 'profile'>;
}

export async function startProviderStack(options: ProviderStackOptions): Promise<StartedProviderStack> {
  const supervisor = new Supervisor(options.logDir ? { logDir: options.logDir } : {});
  const providers: Record<string, ProviderEndpoint> = {};
  try {
    // Started first, closed last: faults and proxies come off before the simulators go.
    const chaos = await supervisor.start('toxiproxy', () => startChaosControl(options.toxiproxyUrl ? { toxiproxyUrl: options.toxiproxyUrl } : {}));
    for (const provider of options.providers) {
      const proxy = provider.replace(/[^A-Za-z0-9_-]/g, '_');
      // Each simulator's log lands beside the run's other files, as `sim-<provider>.log`.
      const log = options.logDir ? { ...options.simulator?.log, file: join(options.logDir, `sim-${proxy}.log`) } : options.simulator?.log;
      const simulator = await supervisor.start(provider, () => startSimulator(provider, { ...(options.simulator ?? {}), ...(log ? { log } : {}), ...(options.seed !== undefined ? { seed: options.seed } : {}) }));
      const created = await chaos.ensureProxy({ name: proxy, upstream: `${simulator.host}:${simulator.port}` });
      const journalMark = simulator.kind === 'wiremock' ? await markWireMockJournal(simulator.adminUrl) : undefined;
      providers[provider] = { provider, proxy, url: `http://${created.listen}`, directUrl: simulator.url, simulator, ...(journalMark ? { journalMark } : {}) };
    }
    return {
      providers,
      chaos,
      addresses: () => ({ toxiproxy: chaos.url, ...Object.fromEntries(Object.values(providers).flatMap((p) => [[p.provider, p.url], [`${p.provider} (direct)`, p.directUrl]])) }),
      close: () => supervisor.close(),
      [Symbol.asyncDispose]: () => supervisor.close(),
    };
  } catch (err) {
    await supervisor.close();
    throw err;
  }
}
