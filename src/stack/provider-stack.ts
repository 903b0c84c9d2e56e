import { join } from 'node:path';
import { startChaosControl, type ChaosControl } from '../chaos/index.js';
import { paychaosError } from '../kernel/index.js';
import { Supervisor, type CrashListener } from './supervisor.js';
import { markWireMockJournal, type ContractRate, type JournalMark, type SimulatorStartOptions } from '../../simulators/index.js';
import { simulatorChild, simulatorInProcess, type SimulatorHandle, type SimulatorPlacement } from './simulator-handle.js';
import { PROXY_PART, proxyChild } from './proxy-child.js';

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
  readonly simulator: SimulatorHandle;
  /** WireMock providers: a request left in the journal at start, so a journal that lost requests is caught. */
  readonly journalMark?: JournalMark;
}

export interface StartedProviderStack extends AsyncDisposable {
  readonly providers: Readonly<Record<string, ProviderEndpoint>>;
  readonly chaos: ChaosControl;
  /** The parts of this stack running as their own processes: child simulators, and the embedded proxy when it is one. */
  processes(): Array<{ name: string; pid: number | undefined }>;
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
  simulator?: Omit<SimulatorStartOptions, 'seed' | 'port' | 'host' | 'profile' | 'fees'>;
  /** Per provider, the merchant's contract rate its settlement report charges (`stack.fees`; the gateway books the same). */
  fees?: Readonly<Partial<Record<string, ContractRate>>>;
  /**
   * In this process (default: tests reach into nothing but HTTP anyway), or each simulator as its
   * own child process (runs: the driver's event loop is then the driver's alone). With `child`,
   * the embedded Toxiproxy-compatible server runs as a child process too (`paychaos proxy`),
   * driven over its HTTP API as a real Toxiproxy would be; TOXIPROXY_URL still wins.
   */
  placement?: SimulatorPlacement;
  /** A provider's child process (WireMock's JVM) died unasked while the stack was up. */
  onCrash?: CrashListener;
  /** Aborted (Ctrl-C during start-up): no further provider is started, what started is closed. */
  signal?: AbortSignal;
}

export async function startProviderStack(options: ProviderStackOptions): Promise<StartedProviderStack> {
  const supervisor = new Supervisor(options.logDir ? { logDir: options.logDir } : {});
  const providers: Record<string, ProviderEndpoint> = {};
  const unsubscribe: Array<() => void> = [];
  if (options.onCrash) unsubscribe.push(supervisor.onCrash(options.onCrash));
  const close = async (): Promise<void> => {
    for (const u of unsubscribe) u();
    await supervisor.close();
  };
  try {
    // Started first, closed last: faults and proxies come off before the simulators go.
    throwIfInterrupted(options.signal, 'toxiproxy');
    const realToxiproxy = options.toxiproxyUrl ?? process.env.TOXIPROXY_URL;
    // The proxy child is spawned before its control plane, so it is stopped after the control
    // plane has cleared its faults and deleted its proxies (the supervisor closes in reverse).
    const proxy = !realToxiproxy && options.placement === 'child' ? await proxyChild(supervisor, options.logDir, options.simulator?.log?.level) : undefined;
    const toxiproxyUrl = realToxiproxy ?? proxy?.url;
    const chaos = await supervisor.start(proxy ? `${PROXY_PART}-control` : PROXY_PART, () => startChaosControl(toxiproxyUrl ? { toxiproxyUrl } : {}));
    // Simulators start side by side (a JVM or a child process takes a while each); proxies are
    // then made in the order given, so every run names and lists them the same way.
    const startOne = async (provider: string): Promise<SimulatorHandle> => {
      throwIfInterrupted(options.signal, provider);
      // Each simulator's log lands beside the run's other files, as `sim-<provider>.log` (a
      // child's through its supervisor, which keeps its output there).
      const log = options.logDir ? { ...options.simulator?.log, file: join(options.logDir, `sim-${provider.replace(/[^A-Za-z0-9_-]/g, '_')}.log`) } : options.simulator?.log;
      const simOptions = { ...(options.simulator ?? {}), ...(log ? { log } : {}), ...(options.seed !== undefined ? { seed: options.seed } : {}), ...(options.fees?.[provider] !== undefined ? { fees: options.fees[provider] } : {}) };
      // A child's crash is reported by the supervisor under the provider's name (subscribed above).
      if (options.placement === 'child') return simulatorChild(provider, simOptions, supervisor, options.logDir);
      // In this process, a WireMock JVM that dies mid-run is still reported under the provider's name.
      const started = await supervisor.start(provider, () => simulatorInProcess(provider, simOptions, options.onCrash));
      unsubscribe.push(started.unsubscribe);
      return started;
    };
    const settled = await Promise.allSettled(options.providers.map(startOne));
    const failed = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
    for (const [i, provider] of options.providers.entries()) {
      const simulator = (settled[i] as PromiseFulfilledResult<SimulatorHandle>).value;
      const proxy = provider.replace(/[^A-Za-z0-9_-]/g, '_');
      const created = await chaos.ensureProxy({ name: proxy, upstream: `${simulator.host}:${simulator.port}` });
      const journalMark = simulator.adminUrl !== undefined ? await markWireMockJournal(simulator.adminUrl) : undefined;
      providers[provider] = { provider, proxy, url: `http://${created.listen}`, directUrl: simulator.url, simulator, ...(journalMark ? { journalMark } : {}) };
    }
    return providerStack(providers, chaos, close, proxy ? [{ name: PROXY_PART, pid: proxy.pid }] : []);
  } catch (err) {
    await close();
    throw err;
  }
}

/** Start-up stops between parts once the signal is aborted; the caller closes what started. */
export function throwIfInterrupted(signal: AbortSignal | undefined, next: string): void {
  if (signal?.aborted) throw paychaosError('PAYCHAOS_ERR_STACK_START_FAILED', `start-up interrupted before ${next}`, { part: next, interrupted: true });
}

/** A provider stack of these endpoints on this control plane: one shape whoever started them. */
export function providerStack(providers: Readonly<Record<string, ProviderEndpoint>>, chaos: ChaosControl, close: () => Promise<void>, ownProcesses: ReadonlyArray<{ name: string; pid: number | undefined }> = []): StartedProviderStack {
  return {
    providers,
    chaos,
    processes: () => [...ownProcesses, ...Object.values(providers).flatMap((p) => (p.simulator.pid !== undefined ? [{ name: p.provider, pid: p.simulator.pid }] : []))],
    addresses: () => ({ toxiproxy: chaos.url, ...Object.fromEntries(Object.values(providers).flatMap((p) => [[p.provider, p.url], [`${p.provider} (direct)`, p.directUrl]])) }),
    close,
    [Symbol.asyncDispose]: close,
  };
}
