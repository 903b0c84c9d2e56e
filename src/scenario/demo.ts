import { setMaxListeners } from 'node:events';
import { join, resolve } from 'node:path';
import { Aggregator, VariantAggregate, checkNoDoubleCharge, type InvariantResult, judgeCanary, variantDataOf, verdictExitCode, type JudgeReport } from '../analysis/index.js';
import { EXIT, isPaychaosError, paychaosError, type ExitCode } from '../kernel/index.js';
import { GATEWAY_PROVIDERS, gatewaySpeaks, startGateway, type GatewayOptions } from '../gateway/index.js';
import { HttpTarget, trafficConfig } from '../load/index.js';
import { findK6 } from '../load/k6/index.js';
import type { Variant } from '../conventions/index.js';
import { DEMO_JUDGE_CONFIG, type CanaryConfig } from './canary-config.js';
import { EventsWriter, buildResults, prepareOutDir, writeFileAtomic, type Results } from '../report/index.js';
import { Supervisor } from '../stack/index.js';
import { driveBuiltin, type DriveOptions, type DriveOutcome } from './drive-builtin.js';
import { driveK6 } from './drive-k6.js';
import { readLedgers } from './ground-truth.js';
import { OrdersPlaced } from './orders-placed.js';
import { providerConnections } from './provider-connections.js';
import { startProviderStack } from './provider-stack.js';
import { newRunId } from './run-id.js';

/** How long a wallet shopper takes to confirm on their phone (simulated ms). */
const SHOPPER_APPROVES_MS = 150;

export interface DemoOptions {
  durationMs: number;
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
  /** Called once the stack is up, with every part's address. */
  onStarted?(info: { runId: string; outDir: string; addresses: Record<string, string> }): void;
}

export interface DemoOutcome {
  results: Results;
  resultsPath: string;
  eventsPath: string;
  exitCode: ExitCode;
}

/**
 * `paychaos demo`: the thin end-to-end slice. Starts a Stripe-style simulator and the reference
 * gateway (and a canary gateway, with --canary) on 127.0.0.1, drives the shared traffic model at
 * a fixed arrival rate with the built-in driver or k6, checks against the simulator's ledger that
 * no order was charged twice, judges the canary, and writes results.json (atomically) and
 * events.jsonl (streamed). However it ends — finished, interrupted, or a part failed — the stack
 * is torn down and what was measured is written.
 *
 *   stripe sim ◄─ toxiproxy ◄── gateway-baseline ◄──┐
 *                      ▲                            ├── driver (builtin | k6) ──► Aggregator ──► results.json
 *                      └─────── gateway-canary ◄────┘                   └──────► events.jsonl
 */
export async function runDemo(options: DemoOptions): Promise<DemoOutcome> {
  const engine = options.load ?? 'builtin';
  // k6 missing is bad input for this machine: say so before starting anything.
  if (engine === 'k6') await findK6();
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
  const providerNames = [...new Set(traffic.mix.map((e) => e.provider))];
  // A provider the gateway cannot charge through is bad input: say so before starting anything.
  for (const p of providerNames) if (!gatewaySpeaks(p)) throw unknownProvider(p);
  const outDir = resolve(options.outDir ?? join('paychaos-results', runId));
  await prepareOutDir(outDir);
  const resultsPath = join(outDir, 'results.json');
  const eventsPath = join(outDir, 'events.jsonl');

  const events = new EventsWriter(eventsPath);
  const supervisor = new Supervisor({ logDir: outDir });
  const aggregator = new Aggregator();
  const placed = new OrdersPlaced();
  const cut = new AbortController(); // cuts in-flight requests after the interrupt grace
  setMaxListeners(0, cut.signal); // every shopper waiting out a delay listens on it
  const onAbort = (): void => void setTimeout(() => cut.abort(), options.interruptGraceMs ?? 1000).unref();
  options.signal?.addEventListener('abort', onAbort, { once: true });

  const startedAt = new Date();
  const maxInFlight = options.maxInFlight ?? Math.max(50, Math.ceil(options.rate * 2));
  const targets: Partial<Record<Variant, HttpTarget>> = {};
  const gateways: Array<{ close(): Promise<void> }> = [];
  let drove: DriveOutcome | undefined;
  let invariants: InvariantResult[] = [];
  let failure: unknown;
  let addresses: Record<string, string> = {};

  events.write({ type: 'run', runId, scenario: 'demo', engine, startedAt: startedAt.toISOString(), targetRate: options.rate, durationMs: options.durationMs });
  try {
    // The acquirer stands behind its Toxiproxy proxy, as in every stack: the gateways call the proxy.
    // Wallet shoppers confirm on their phone a moment after the merchant asks (SHOPPER_APPROVES_MS).
    const providers = await supervisor.start('providers', () =>
      startProviderStack({ providers: providerNames, seed: traffic.seed, logDir: outDir, simulator: { shopperApprovesAfterMs: SHOPPER_APPROVES_MS } }),
    );
    const connections = await providerConnections(providers.providers);
    const gateway = await supervisor.start('gateway-baseline', () => startGateway({ providers: connections, variant: 'baseline', version: options.version }));
    gateways.push(gateway);
    targets.baseline = new HttpTarget(gateway.url, { connections: Math.min(maxInFlight, 256), cut: cut.signal });
    if (canary) {
      const canaryGateway = await supervisor.start('gateway-canary', () => startGateway(canaryGatewayOptions(connections, canary, options.version)));
      gateways.push(canaryGateway);
      targets.canary = new HttpTarget(canaryGateway.url, { connections: Math.min(maxInFlight, 256), cut: cut.signal });
    }
    addresses = { ...providers.addresses(), ...supervisor.addresses() };
    await writeFileAtomic(join(outDir, 'stack.json'), `${JSON.stringify({ runId, parts: addresses }, null, 2)}\n`);
    options.onStarted?.({ runId, outDir, addresses });

    const drive: DriveOptions = {
      rate: options.rate,
      durationMs: options.durationMs,
      maxInFlight,
      targets,
      traffic,
      cut: cut.signal,
      ...(options.signal ? { signal: options.signal } : {}),
      record: (event) => {
        aggregator.record(event);
        placed.see(event);
        events.write({ type: 'payment', ...event });
      },
      placing: (plan) => placed.placing(plan),
    };
    drove = engine === 'k6' ? await driveK6({ ...drive, outDir, runId }) : await driveBuiltin(drive);
    // The gateways go first: a charge still in flight would otherwise reach a provider after its
    // ledger was read. Closing waits for those charges (src/gateway/server.ts).
    await Promise.all(gateways.map((g) => g.close()));
    // The ledger is read directly, past the proxy: ground truth must not depend on a fault.
    // In the shop's order ids, so one order is one order across providers and in every message.
    const ledgers = (await readLedgers(providers.providers)).map((row) => placed.inShopTerms(row));
    invariants = [checkNoDoubleCharge(ledgers), placed.check(ledgers)];
  } catch (err) {
    failure = err;
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
    await Promise.all(Object.values(targets).map((t) => t.close().catch(() => {})));
    await supervisor.close();
  }

  const interrupted = options.signal?.aborted === true;
  // Judge the canary on what was measured, even after an interrupt (it may say inconclusive).
  let verdict: JudgeReport | undefined;
  if (canary && !failure) {
    const side = (v: Variant) => variantDataOf(aggregator.variant(v) ?? new VariantAggregate());
    verdict = judgeCanary(side('baseline'), side('canary'), canary.judge ?? DEMO_JUDGE_CONFIG);
  }
  const status: Results['status'] = failure ? 'failed' : interrupted ? 'interrupted' : 'completed';
  const results = buildResults({
    runId,
    scenario: 'demo',
    startedAt,
    endedAt: new Date(),
    durationS: (drove?.elapsedMs ?? 0) / 1000,
    status,
    paychaosVersion: options.version,
    load: drove?.load ?? idleLoad(engine, options.rate),
    snapshot: aggregator.snapshot(),
    invariants,
    assertions: drove?.assertions ?? [],
    stack: addresses,
    ...(verdict ? { canary: verdict } : {}),
  });
  events.write({ type: 'end', runId, status, abortedInFlight: drove?.abortedInFlight ?? 0, endedAt: results.endedAt });
  await events.close().catch(() => {});
  await writeFileAtomic(resultsPath, `${JSON.stringify(results, null, 2)}\n`);

  if (failure) {
    throw isPaychaosError(failure) ? failure : paychaosError('PAYCHAOS_ERR_HARNESS_BUG', (failure as Error).message ?? String(failure), {}, { cause: failure });
  }
  const exitCode: ExitCode = interrupted
    ? EXIT.INTERRUPTED
    : !invariants.every((i) => i.passed) || !results.assertions.every((a) => a.passed)
      ? EXIT.ASSERTION_FAILED
      : verdict
        ? (verdictExitCode(verdict.verdict) as ExitCode)
        : EXIT.OK;
  return { results, resultsPath, eventsPath, exitCode };
}

function canaryGatewayOptions(providers: GatewayOptions['providers'], canary: CanaryConfig, version: string): GatewayOptions {
  return {
    providers,
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

/** The load section of a run that never got to drive (a part failed to start). */
function idleLoad(engine: 'builtin' | 'k6', rate: number): Results['load'] {
  return { engine, targetRate: rate, achievedRate: 0, scheduledIterations: 0, droppedIterations: 0, maxInFlight: 0, eventLoopLagP99Ms: 0, driverHealthy: false };
}

function unknownProvider(provider: string) {
  return paychaosError('PAYCHAOS_ERR_GATEWAY_UNKNOWN_PROVIDER', `--mix: provider "${provider}" is not one the reference gateway charges through (${GATEWAY_PROVIDERS.join(', ')})`, { provider });
}
