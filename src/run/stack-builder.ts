import { join } from 'node:path';
import type { Variant } from '../conventions/index.js';
import { writeFileAtomic } from '../report/index.js';
import { Supervisor, startProviderStack, startSystemUnderTest, type GatewayConfigInput, type ProviderStackOptions, type StartedProviderStack, type StartedSut } from '../stack/index.js';
import { providerConnections } from './provider-connections.js';

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
  readonly systems: readonly SystemSpec[];
}

export interface BuiltStack {
  readonly providers: StartedProviderStack;
  readonly systems: Partial<Record<Variant, StartedSut>>;
  /** Every part's address, as written to stack.json. */
  readonly addresses: Record<string, string>;
  /** Stop every system under test (graceful: charges in flight drain); idempotent. */
  closeSystems(): Promise<void>;
  /** Tear everything down, in reverse order, bounded; never throws. */
  close(): Promise<void>;
}

export interface BuildStackOptions {
  runId: string;
  outDir: string;
  /** A part that died while the run went on. */
  onCrash?(part: string, description: string): void;
}

/**
 * Builds a run's stack from its spec (DESIGN.md "The stack") and writes `<out>/stack.json`:
 *
 *   simulators ◄── toxiproxy (a proxy per provider) ◄── system under test, per variant
 *                                                       (a child process, in-process, or a URL)
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
    await supervisor.close();
  };
  try {
    const providers = await supervisor.start('providers', () =>
      startProviderStack({
        providers: spec.providers,
        logDir: options.outDir,
        ...(spec.seed !== undefined ? { seed: spec.seed } : {}),
        ...(spec.simulator ? { simulator: spec.simulator } : {}),
      }),
    );
    const connections = await providerConnections(providers.providers);
    const systems: Partial<Record<Variant, StartedSut>> = {};
    for (const system of spec.systems) {
      const name = `gateway-${system.variant}`;
      systems[system.variant] = await supervisor.start(name, () =>
        startSystemUnderTest(
          system.mode === 'url'
            ? { mode: 'url', name, url: system.url }
            : system.mode === 'child'
              ? // Its log lines carry the run id; the supervisor keeps them as <out>/gateway-<variant>.log.
                { mode: 'child', name, config: { runId: options.runId, ...system.config, providers: connections } }
              : { mode: 'in-process', name, config: { ...system.config, providers: connections } },
          // The gateway's SQLite file goes beside its log in the run's directory.
          { supervisor, dataDir: options.outDir },
        ),
      );
    }
    const addresses = { ...providers.addresses(), ...supervisor.addresses() };
    await writeFileAtomic(join(options.outDir, 'stack.json'), `${JSON.stringify({ runId: options.runId, parts: addresses }, null, 2)}\n`);
    let closingSystems: Promise<void> | undefined;
    return {
      providers,
      systems,
      addresses,
      closeSystems: () => (closingSystems ??= Promise.all(Object.values(systems).map((s) => s.close())).then(() => {})),
      close,
    };
  } catch (err) {
    await close();
    throw err;
  }
}
