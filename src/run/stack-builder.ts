import { join } from 'node:path';
import type { Variant } from '../conventions/index.js';
import { writeFileAtomic } from '../report/index.js';
import { Supervisor, startProviderStack, throwIfInterrupted, type CrashListener, startSystemUnderTest, type GatewayConfigInput, type ProviderStackOptions, type SimulatorPlacement, type StartedProviderStack, type StartedSut, attachProviderStack, type AttachDocument } from '../stack/index.js';
import { providerConnections } from './provider-connections.js';
import { openWebhookPaths } from './webhook-paths.js';

/**
 * One system under test of a run, per variant: the reference gateway (its config) as a child
 * process (runs and the demo) or in-process (tests), or a system at a URL.
 */
export type SystemSpec =
  | { readonly variant: Variant; readonly mode: 'child' | 'in-process'; readonly config: Omit<GatewayConfigInput, 'providers'> }
  | { readonly variant: Variant; readonly mode: 'url'; readonly url: string };

export interface StackSpec {
  /** Provider simulators to start, each behind its own proxy. */
  readonly providers: readonly string[];
  readonly seed?: number;
  readonly simulator?: ProviderStackOptions['simulator'];
  /**
   * A stack `paychaos up` keeps running: its providers are used instead of starting new ones, so
   * a gateway already charging through them (`--target`) is judged on their ledgers.
   */
  readonly attach?: AttachDocument;
  /** Where the simulators run: each its own child process (runs, the demo) or in this process (default, tests). */
  readonly simulators?: SimulatorPlacement;
  readonly systems: readonly SystemSpec[];
}

export interface BuiltStack {
  readonly providers: StartedProviderStack;
  readonly systems: Partial<Record<Variant, StartedSut>>;
  /** Every part's address, as written to stack.json. */
  readonly addresses: Record<string, string>;
  /** The parts running as their own processes now (gateways in child mode, WireMock JVMs), for CPU figures. */
  processes(): Array<{ name: string; pid: number | undefined }>;
  /** Stop every system under test (graceful: charges in flight drain); idempotent. */
  closeSystems(): Promise<void>;
  /** Tear everything down, in reverse order, bounded; never throws. */
  close(): Promise<void>;
}

export interface BuildStackOptions {
  runId: string;
  outDir: string;
  /** A part that died while the run went on (a child process, or a provider's JVM). */
  onCrash?: CrashListener;
  /** Ctrl-C during start-up: no further part starts, what started is torn down, and the error says so. */
  signal?: AbortSignal;
}

/**
 * Builds a run's stack from its spec (DESIGN.md "The stack") and writes `<out>/stack.json`:
 *
 *   simulators ◄── toxiproxy (a proxy per provider) ◄── system under test, per variant
 *                                                       (a child process, in-process, or a URL)
 *   simulators ──► toxiproxy (a proxy per webhook path) ──► each reference gateway's /webhooks/<provider>
 *
 * The systems are given the providers' proxied addresses and the merchant credentials the
 * simulators hand out, then started through the stack's one system-under-test interface. If a
 * part will not start, everything already started is torn down before the error is thrown.
 */
export async function buildStack(spec: StackSpec, options: BuildStackOptions): Promise<BuiltStack> {
  const supervisor = new Supervisor({ logDir: options.outDir });
  const unsubscribe = options.onCrash ? supervisor.onCrash(options.onCrash) : () => {};
  const close = async (): Promise<void> => {
    unsubscribe();
    options.signal?.removeEventListener('abort', closeNow);
    await supervisor.close();
  };
  // A part starting when Ctrl-C comes is stopped as soon as it is up (Supervisor.start), not
  // after the rest of the stack has started too.
  const closeNow = (): void => void supervisor.close();
  options.signal?.addEventListener('abort', closeNow, { once: true });
  try {
    throwIfInterrupted(options.signal, 'providers');
    const providers = await supervisor.start('providers', () =>
      spec.attach ? attachProviderStack(spec.attach) : startProviderStack({
        providers: spec.providers,
        logDir: options.outDir,
        ...(spec.seed !== undefined ? { seed: spec.seed } : {}),
        ...(spec.simulator ? { simulator: spec.simulator } : {}),
        ...(spec.simulators ? { placement: spec.simulators } : {}),
        ...(options.onCrash ? { onCrash: options.onCrash } : {}),
        ...(options.signal ? { signal: options.signal } : {}),
      }),
    );
    const connections = await providerConnections(providers.providers);
    // Notifications reach the reference gateways (webhook-paths.ts); a gateway at a URL is yours to
    // point, and an attached stack's simulators are `paychaos up`'s, left as they are.
    const reference = spec.systems.filter((s) => s.mode !== 'url').map((s) => s.variant);
    const hooks = spec.attach || reference.length === 0 ? undefined : await openWebhookPaths(providers.chaos, providers.providers, reference);
    const systems: Partial<Record<Variant, StartedSut>> = {};
    for (const system of spec.systems) {
      const name = `gateway-${system.variant}`;
      throwIfInterrupted(options.signal, name);
      systems[system.variant] = await supervisor.start(name, () =>
        startSystemUnderTest(
          system.mode === 'url'
            ? { mode: 'url', name, url: system.url }
            : system.mode === 'child'
              ? // Its log lines carry the run id; the supervisor keeps them as <out>/gateway-<variant>.log.
                { mode: 'child', name, config: { runId: options.runId, ...system.config, providers: hooks?.connectionsFor(system.variant, connections) ?? connections } }
              : { mode: 'in-process', name, config: { ...system.config, providers: hooks?.connectionsFor(system.variant, connections) ?? connections } },
          // The gateway's SQLite file goes beside its log in the run's directory.
          { supervisor, dataDir: options.outDir },
        ),
      );
      if (hooks && system.mode !== 'url') await hooks.connect(system.variant, systems[system.variant]!.url);
    }
    await hooks?.register();
    throwIfInterrupted(options.signal, 'the load');
    const addresses = { ...providers.addresses(), ...supervisor.addresses(), ...hooks?.urls };
    await writeFileAtomic(join(options.outDir, 'stack.json'), `${JSON.stringify({ runId: options.runId, parts: addresses }, null, 2)}\n`);
    // Built: from here an interrupt stops the load and the run tears down in order.
    options.signal?.removeEventListener('abort', closeNow);
    let closingSystems: Promise<void> | undefined;
    return {
      providers,
      systems,
      addresses,
      processes: () => [
        ...Object.values(systems).flatMap((s) => (s.pid !== undefined ? [{ name: s.name, pid: s.pid }] : [])),
        ...Object.values(providers.providers).flatMap((p) => (p.simulator.pid !== undefined ? [{ name: p.provider, pid: p.simulator.pid }] : [])),
      ],
      closeSystems: () => (closingSystems ??= Promise.all(Object.values(systems).map((s) => s.close())).then(() => {})),
      close,
    };
  } catch (err) {
    await close();
    throw err;
  }
}
