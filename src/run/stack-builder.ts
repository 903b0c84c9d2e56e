import { join } from 'node:path';
import type { Variant } from '../conventions/index.js';
import { writeFileAtomic } from '../report/index.js';
import type { FeeOverrides } from '../stack/index.js';
import { Supervisor, startProviderStack, throwIfInterrupted, type CrashListener, startSystemUnderTest, type GatewayConfigInput, type ProviderStackOptions, type SimulatorPlacement, type StartedProviderStack, type StartedSut, attachProviderStack, type AttachDocument } from '../stack/index.js';
import { attachedSpanSource, localSpanSource, startOtlpReceiver, type SpanSource, type StartedOtlpReceiver } from '../telemetry/index.js';
import { collectorConfigured, isPaychaosError } from '../kernel/index.js';
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
   * The merchant's contract rates per provider (`stack.fees`): one value that both each
   * simulator's settlement report charges and every reference gateway's ledger books, so the
   * reconciliation judges fees against the contract rather than the list price.
   */
  readonly fees?: FeeOverrides;
  /**
   * A stack `paychaos up` keeps running: its providers are used instead of starting new ones, so
   * a gateway already charging through them (`--target`) is judged on their ledgers.
   */
  readonly attach?: AttachDocument;
  /** Where the simulators run: each its own child process (runs, the demo) or in this process (default, tests). */
  readonly simulators?: SimulatorPlacement;
  readonly systems: readonly SystemSpec[];
  /** The embedded OTLP receiver (telemetry without a collector). */
  readonly telemetry?: TelemetrySpec;
}

export interface TelemetrySpec {
  /**
   * Receive the systems' spans in this process. Default: when the environment names no collector
   * (no OTEL_EXPORTER_OTLP_ENDPOINT or …_TRACES_ENDPOINT) and some system can export (a child
   * gateway, or one at a URL); an in-process gateway has no SDK of its own.
   */
  readonly receive?: boolean;
  /**
   * The port to try first (default 0: any free one). A stack for a gateway of your own asks for
   * 4318, the OTLP/HTTP default, so an SDK left at its default endpoint finds paychaos without
   * configuration; when it is taken, a free port is used and printed instead.
   */
  readonly port?: number;
}

/** The OTLP/HTTP default port (the SDKs' default endpoint is http://localhost:4318). */
export const OTLP_HTTP_PORT = 4318;

export interface BuiltStack {
  readonly providers: StartedProviderStack;
  readonly systems: Partial<Record<Variant, StartedSut>>;
  /**
   * Where the systems' spans arrive, when paychaos receives them itself (StackSpec.telemetry): this
   * stack's embedded OTLP receiver, or the receiver of the `paychaos up` it is attached to.
   */
  readonly telemetry?: SpanSource;
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
  /** The scenario being run: with runId, on every gateway's metric points (paychaos_scenario, paychaos_run). */
  scenario?: string;
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
        ...(spec.fees ? { fees: spec.fees } : {}),
        ...(spec.simulators ? { placement: spec.simulators } : {}),
        ...(options.onCrash ? { onCrash: options.onCrash } : {}),
        ...(options.signal ? { signal: options.signal } : {}),
      }),
    );
    // Before the systems: a child gateway's SDK is told where to export when it starts.
    throwIfInterrupted(options.signal, 'otlp-receiver');
    // Attached to `paychaos up`: its receiver, where the gateways pointed at that stack already export.
    const telemetry = !receivesTelemetry(spec)
      ? undefined
      : spec.attach?.telemetry !== undefined
        ? await attachedSpanSource(spec.attach.telemetry)
        : localSpanSource(await supervisor.start('otlp-receiver', () => startReceiver(spec.telemetry?.port ?? 0)));
    const connections = await providerConnections(providers.providers);
    // Notifications reach the reference gateways (webhook-paths.ts); a gateway at a URL is yours to
    // point, and an attached stack's simulators are `paychaos up`'s, left as they are.
    const reference = spec.systems.filter((s) => s.mode !== 'url').map((s) => s.variant);
    const hooks = spec.attach || reference.length === 0 ? undefined : await openWebhookPaths(providers.chaos, providers.providers, reference);
    const systems: Partial<Record<Variant, StartedSut>> = {};
    // Every reference gateway labels its metric points with the run (dashboards' scenario and run variables).
    const runLabels = { runId: options.runId, ...(options.scenario !== undefined ? { scenario: options.scenario } : {}), ...(spec.fees ? { fees: spec.fees } : {}) };
    for (const system of spec.systems) {
      const name = `gateway-${system.variant}`;
      throwIfInterrupted(options.signal, name);
      systems[system.variant] = await supervisor.start(name, () =>
        startSystemUnderTest(
          system.mode === 'url'
            ? { mode: 'url', name, url: system.url }
            : system.mode === 'child'
              ? // Its log lines carry the run id; the supervisor keeps them as <out>/gateway-<variant>.log.
                { mode: 'child', name, config: { ...runLabels, ...system.config, providers: hooks?.connectionsFor(system.variant, connections) ?? connections }, ...(telemetry ? { otlpEndpoint: telemetry.endpoint } : {}) }
              : { mode: 'in-process', name, config: { ...runLabels, ...system.config, providers: hooks?.connectionsFor(system.variant, connections) ?? connections } },
          // The gateway's SQLite file goes beside its log in the run's directory.
          { supervisor, dataDir: options.outDir },
        ),
      );
      if (hooks && system.mode !== 'url') await hooks.connect(system.variant, systems[system.variant]!.url);
    }
    await hooks?.register();
    throwIfInterrupted(options.signal, 'the load');
    const addresses = { ...providers.addresses(), ...supervisor.addresses(), ...hooks?.urls, ...(telemetry ? { 'otlp-receiver': telemetry.endpoint } : {}) };
    await writeFileAtomic(join(options.outDir, 'stack.json'), `${JSON.stringify({ runId: options.runId, parts: addresses }, null, 2)}\n`);
    // Built: from here an interrupt stops the load and the run tears down in order.
    options.signal?.removeEventListener('abort', closeNow);
    let closingSystems: Promise<void> | undefined;
    return {
      providers,
      systems,
      ...(telemetry ? { telemetry } : {}),
      addresses,
      processes: () => [
        ...Object.values(systems).flatMap((s) => (s.pid !== undefined ? [{ name: s.name, pid: s.pid }] : [])),
        ...providers.processes(),
      ],
      closeSystems: () => (closingSystems ??= Promise.all(Object.values(systems).map((s) => s.close())).then(() => {})),
      close,
    };
  } catch (err) {
    await close();
    throw err;
  }
}

function receivesTelemetry(spec: StackSpec): boolean {
  if (spec.telemetry?.receive !== undefined) return spec.telemetry.receive;
  if (collectorConfigured(process.env)) return false;
  return spec.systems.length === 0 || spec.systems.some((s) => s.mode !== 'in-process');
}

/** On the port asked for; if it is taken (another paychaos, a collector), on a free one. */
async function startReceiver(port: number): Promise<StartedOtlpReceiver> {
  try {
    return await startOtlpReceiver({ port });
  } catch (err) {
    if (port !== 0 && isPaychaosError(err, 'PAYCHAOS_ERR_LISTEN_IN_USE')) return startOtlpReceiver({ port: 0 });
    throw err;
  }
}
