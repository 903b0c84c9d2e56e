import { providerDescriptor } from '../conventions/index.js';
import { paychaosError } from '../kernel/index.js';

type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
import { GATEWAY_PROVIDERS, gatewaySpeaks } from '../stack/index.js';
import { trafficConfig } from '../load/index.js';
import { newRunId, runScenario, type RunOptions, type RunOutcome, type RunSpec, type SystemSpec } from '../run/index.js';
import { DEMO_JUDGE_CONFIG, type CanaryConfig } from './canary-config.js';

/** How long a wallet shopper takes to confirm on their phone (simulated ms). */
const SHOPPER_APPROVES_MS = 150;

export interface DemoOptions {
  durationMs: number;
  /** A warm-up phase at `rate` before the measured window (built-in engine); default 0. */
  warmupMs?: number;
  /** Shoppers arriving per second (open model). */
  rate: number;
  outDir?: string;
  seed?: number;
  /** Concurrency cap; a due shopper beyond it is a dropped iteration. */
  maxInFlight?: number;
  /** Abort to stop early (Ctrl-C): what was measured is still written. */
  signal?: AbortSignal;
  /** How long in-flight requests may finish after an interrupt before they are cut. */
  interruptGraceMs?: number;
  version: string;
  /** The load engine: the built-in open-model driver (default) or k6 on PATH. */
  load?: 'builtin' | 'k6';
  /**
   * The traffic mix (load/lib MIX_PRESETS: cards, double11, all): which providers shoppers pay
   * through; the run starts each provider the mix names. Default cards (Stripe only).
   */
  mix?: string;
  /** Run a canary gateway beside the baseline and judge the two. */
  canary?: CanaryConfig & { weight: number };
  /**
   * The level every part of the stack logs at (simulators to `<out>/sim-<provider>.log`, gateways
   * to `<out>/gateway-<variant>.log`); default PAYCHAOS_LOG_LEVEL, else info.
   */
  logLevel?: LogLevel;
  /** Called once the stack is up, with every part's address. */
  onStarted?(info: { runId: string; outDir: string; addresses: Record<string, string> }): void;
  /** Called at each phase of the run (warmup, drive, …) and every couple of seconds while it goes on. */
  onProgress?: RunOptions['onProgress'];
}

export type DemoOutcome = RunOutcome;

/**
 * `paychaos demo`: the built-in scenario. The providers the traffic mix names, each simulator
 * behind its own Toxiproxy proxy, the reference gateway (and a canary gateway, with --canary) on
 * 127.0.0.1, the shared traffic model driven at a fixed arrival rate by the built-in driver or
 * k6, no fault timeline; the run engine (src/run) does the rest — ground truth against every
 * provider's ledger, the canary judge, results and the exit code.
 *
 *   simulators ◄─ toxiproxy (a proxy per provider) ◄── gateway-baseline ◄──┐
 *                                   ▲                                       ├── driver (builtin | k6) ──► Recorder
 *                                   └────────────────── gateway-canary ◄────┘
 */
export async function runDemo(options: DemoOptions): Promise<DemoOutcome> {
  const runOptions: RunOptions = {
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.interruptGraceMs !== undefined ? { interruptGraceMs: options.interruptGraceMs } : {}),
    ...(options.onStarted ? { onStarted: options.onStarted } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  };
  return runScenario(demoSpec(options), runOptions);
}

/** The demo as a run spec: validated before anything starts (an unknown provider is bad input). */
export function demoSpec(options: DemoOptions): RunSpec {
  const runId = newRunId('demo');
  const canary = options.canary;
  // The shared traffic model (load/lib): the same shoppers k6 would send for this seed. The demo
  // is short, so duplicates and returning shoppers come back within a second.
  const traffic = trafficConfig({
    runId,
    seed: options.seed ?? Date.now() % 2 ** 31,
    variants: { baseline: 1 - (canary?.weight ?? 0), canary: canary?.weight ?? 0 },
    duplicateAfter: { minMs: 50, maxMs: 500 },
    resumeAfter: { minMs: 200, maxMs: 1000 },
    ...(options.mix !== undefined ? { mix: options.mix } : {}),
  });
  const providers = [...new Set(traffic.mix.map((e) => e.provider))];
  // A provider the gateway cannot charge through is bad input: say so before starting anything.
  checkGatewayProviders(providers, '--mix');
  // Each gateway runs as a child process of the stack: its event loop is not the driver's, so the
  // driver's lag measures the driver alone, and a process fault can kill it for real.
  const logLevel = options.logLevel ? { logLevel: options.logLevel } : {};
  const systems: SystemSpec[] = [{ variant: 'baseline', mode: 'child', config: { variant: 'baseline', version: options.version, ...logLevel } }];
  if (canary) systems.push({ variant: 'canary', mode: 'child', config: { ...canaryGatewayConfig(canary, options.version), ...logLevel } });
  return {
    runId,
    scenario: 'demo',
    ...(options.outDir !== undefined ? { outDir: options.outDir } : {}),
    paychaosVersion: options.version,
    // Wallet shoppers confirm on their phone a moment after the merchant asks (SHOPPER_APPROVES_MS).
    // Simulators, like gateways, run as child processes (the driver's loop is the driver's alone),
    // logging with the run id; the stack puts each one's file in the run's directory.
    stack: { providers, seed: traffic.seed, simulator: { shopperApprovesAfterMs: SHOPPER_APPROVES_MS, log: { runId, ...(options.logLevel ? { level: options.logLevel } : {}) } }, simulators: 'child', systems },
    load: {
      engine: options.load ?? 'builtin',
      rate: options.rate,
      durationMs: options.durationMs,
      ...((options.warmupMs ?? 0) > 0 ? { warmupMs: options.warmupMs } : {}),
      maxInFlight: options.maxInFlight ?? Math.max(50, Math.ceil(options.rate * 2)),
      traffic,
    },
    ...(canary ? { canary: { judge: canary.judge ?? DEMO_JUDGE_CONFIG } } : {}),
  };
}

/** The canary gateway: the baseline's, carrying the regression the canary config describes. */
function canaryGatewayConfig(canary: CanaryConfig, version: string): Extract<SystemSpec, { config: unknown }>['config'] {
  return {
    variant: 'canary',
    version: canary.version ?? `${version}-canary`,
    ...(canary.providerTimeoutMs !== undefined ? { providerTimeoutMs: canary.providerTimeoutMs } : {}),
    regression: {
      ...(canary.extraLatencyMs !== undefined ? { extraLatencyMs: canary.extraLatencyMs } : {}),
      ...(canary.providerErrorRate !== undefined ? { providerErrorRate: canary.providerErrorRate } : {}),
      ...(canary.skipOrderGuard !== undefined ? { skipOrderGuard: canary.skipOrderGuard } : {}),
      seed: canary.seed ?? 1,
    },
  };
}

/**
 * Every provider must be known (a descriptor in src/conventions/providers) and one the reference
 * gateway charges through. The one place the scenario area reads the gateway's provider list
 * (the gateway will read the descriptors too).
 */
export function checkGatewayProviders(providers: readonly string[], where: string): void {
  for (const provider of providers) {
    // A provider paychaos does not know at all is named as such, with the known ones.
    providerDescriptor(provider, where);
    if (!gatewaySpeaks(provider)) {
      throw paychaosError('PAYCHAOS_ERR_GATEWAY_UNKNOWN_PROVIDER', `${where}: provider "${provider}" is not one the reference gateway charges through (${GATEWAY_PROVIDERS.join(', ')})`, { provider });
    }
  }
}
