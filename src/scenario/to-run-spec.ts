import type { JudgeConfigInput, ThresholdsInput } from '../analysis/index.js';
import { trafficConfig, type ApiShape } from '../load/index.js';
import { newRunId, OTLP_HTTP_PORT, type RunSpec, type SystemSpec } from '../run/index.js';
import { paychaosError } from '../kernel/index.js';
import type { AttachDocument } from '../stack/index.js';
import { DEMO_JUDGE_CONFIG } from './canary-config.js';
import { checkGatewayProviders } from './demo.js';
import { SCENARIO_DEFAULTS, loadDurationMs, maxInFlightOf, peakRate, type Regression, type Scenario, type ScenarioFile } from './format/index.js';

export interface ToRunSpecOptions {
  paychaosVersion: string;
  /** This scenario's output directory (a suite gives each its own). */
  outDir?: string;
  /** Drive a gateway already running at this URL instead of the reference one (`--target`). */
  target?: string;
  /** Use the providers of a running `paychaos up` (`--attach`) instead of starting new ones. */
  attach?: AttachDocument;
}

/**
 * A validated scenario file as the run engine's spec — every section mapped here, defaults from
 * defaults.ts, nothing guessed later:
 *
 *   stack    → providers (default: those the mix names), seed, simulator clock and phone delay,
 *              systems (the reference gateway per variant with its regression, or --target)
 *   load     → engine, constant rate or ramp (k6 stages), maxInFlight, the traffic model
 *   timeline → the parsed steps, played by src/chaos
 *   expect   → thresholds and invariants (engine), canary judge
 */
export function toRunSpec(scenario: Scenario, options: ToRunSpecOptions): RunSpec {
  const { file } = scenario;
  // The run id prefixes every order id (the traffic model caps it at 40 characters): the name's first 16.
  const runId = newRunId(file.name.slice(0, 16).replace(/-+$/, ''));
  const stack = file.stack ?? {};
  const seed = stack.seed ?? SCENARIO_DEFAULTS.seed;
  const canary = stack.canary;
  const traffic = trafficConfig({
    runId,
    seed,
    variants: { baseline: 1 - (canary?.weight ?? 0), canary: canary?.weight ?? 0 },
    mix: file.load.mix ?? SCENARIO_DEFAULTS.mix,
    ...(file.load.behaviours ? { behaviours: file.load.behaviours } : {}),
    duplicateAfter: SCENARIO_DEFAULTS.duplicateAfter,
    resumeAfter: SCENARIO_DEFAULTS.resumeAfter,
    lifecycleAfter: SCENARIO_DEFAULTS.lifecycleAfter,
  });
  const providers = stack.providers ?? [...new Set(traffic.mix.map((e) => e.provider))];
  const target = options.target ?? stack.target;
  if (!target) checkGatewayProviders(providers, `${file.name}: stack.providers`);
  if (options.attach) checkAttached(providers, options.attach, file.name, stack.fees);
  // Your API described: the reference gateway does not speak it, so a target must.
  if (file.load.request && !target) {
    throw paychaosError('PAYCHAOS_ERR_SCENARIO_INVALID', `${file.name}: load.request describes your gateway's API; give its URL as stack.target or --target`, { field: 'load.request' });
  }

  const gateway = stack.gateway ?? {};
  const systems: SystemSpec[] = [
    target
      ? { variant: 'baseline', mode: 'url', url: target }
      : { variant: 'baseline', mode: gatewayMode(), config: gatewayConfig('baseline', gateway.version ?? options.paychaosVersion, gateway.providerTimeout, gateway.regression, gateway) },
  ];
  if (canary) {
    // The canary is the same release but for its own version, timeout and regression: the routes are the baseline's.
    systems.push({ variant: 'canary', mode: gatewayMode(), config: gatewayConfig('canary', canary.version ?? `${options.paychaosVersion}-canary`, canary.providerTimeout, canary.regression, gateway) });
  }

  const load = file.load;
  const expect = file.expect;
  return {
    runId,
    scenario: file.name,
    ...(options.outDir !== undefined ? { outDir: options.outDir } : {}),
    paychaosVersion: options.paychaosVersion,
    stack: {
      providers,
      ...(options.attach ? { attach: options.attach } : {}),
      seed,
      simulator: {
        shopperApprovesAfterMs: stack.shopperApprovesAfter ?? SCENARIO_DEFAULTS.shopperApprovesAfterMs,
        ...((stack.timeScale ?? SCENARIO_DEFAULTS.timeScale) !== 1 ? { clockScale: stack.timeScale } : {}),
        // Each simulator's log (<out>/sim-<provider>.log) carries the run id.
        log: { runId },
      },
      // One value for both sides: the simulators' reports charge it, the reference gateways book it.
      ...(stack.fees ? { fees: stack.fees } : {}),
      // Each simulator its own process: the driver's event loop is the driver's alone.
      simulators: 'child',
      systems,
      // Your gateway exports to paychaos: on the OTLP/HTTP default port when it is free, so an SDK left at its default finds it.
      ...(target ? { telemetry: { port: OTLP_HTTP_PORT } } : {}),
    },
    load: {
      engine: load.engine ?? SCENARIO_DEFAULTS.engine,
      rate: peakRate(load),
      durationMs: loadDurationMs(load),
      ...(load.executor === 'ramping-arrival-rate' ? { ramp: { startRate: load.startRate ?? 0, stages: load.stages.map((s) => ({ target: s.target, durationMs: s.duration })) } } : {}),
      maxInFlight: maxInFlightOf(load),
      ...((load.warmup ?? 0) > 0 ? { warmupMs: load.warmup } : {}),
      traffic,
      ...(load.request && load.classify ? { api: { request: load.request, classify: load.classify, ...(load.query ? { query: load.query } : {}) } as ApiShape } : {}),
    },
    timeline: scenario.timeline,
    // expect.canary is a judge config (validated with the file); a short run's default otherwise.
    ...(canary ? { canary: { judge: (expect?.canary as JudgeConfigInput | undefined) ?? DEMO_JUDGE_CONFIG } } : {}),
    expect: {
      ...(expect?.thresholds ? { thresholds: expect.thresholds as ThresholdsInput } : {}),
      invariants: expect?.invariants ?? SCENARIO_DEFAULTS.invariants,
      ...(expect?.settleWithin !== undefined ? { settleWithinMs: expect.settleWithin } : {}),
      ...(expect?.failover ? { failover: expect.failover.map((f) => ({ step: f.step, ...(f.timeToDetect !== undefined ? { timeToDetectMs: f.timeToDetect } : {}), ...(f.timeToSwitchBack !== undefined ? { timeToSwitchBackMs: f.timeToSwitchBack } : {}) })) } : {}),
    },
  };
}

/**
 * The reference gateway runs as a child process of the stack (the format's default), so `kill`
 * and `restart` steps act on a real process and its event loop is not the driver's.
 */
function gatewayMode(): 'child' {
  return 'child';
}

type GatewaySystemConfig = Extract<SystemSpec, { mode: 'child' | 'in-process' }>['config'];

/** Routes, breaker, retry and shedding: passed to the gateway as written (its own schemas validated them). */
type Resilience = Pick<NonNullable<NonNullable<ScenarioFile['stack']>['gateway']>, 'routes' | 'breaker' | 'retry' | 'shedding'>;

function gatewayConfig(variant: 'baseline' | 'canary', version: string, providerTimeoutMs: number | undefined, regression: Regression | undefined, resilience: Resilience = {}): GatewaySystemConfig {
  const config = {
    variant,
    version,
    providerTimeoutMs: providerTimeoutMs ?? SCENARIO_DEFAULTS.providerTimeoutMs,
    ...(regression ? { regression: { ...regression, seed: regression.seed ?? 1 } } : {}),
    ...(resilience.routes ? { routes: resilience.routes } : {}),
    ...(resilience.breaker ? { breaker: resilience.breaker } : {}),
    ...(resilience.retry ? { retry: resilience.retry } : {}),
    ...(resilience.shedding ? { shedding: resilience.shedding } : {}),
  };
  return config as GatewaySystemConfig;
}

/**
 * Every provider the scenario pays through must be one the attached stack runs; and no contract
 * rate: `paychaos up`'s simulators charge the rate they were started with and nothing can tell them
 * another, so their reports would charge the list price while the gateway books the contract —
 * every payment a fee-mismatch the gateway did not cause.
 */
function checkAttached(providers: readonly string[], attach: AttachDocument, scenario: string, fees: Readonly<Record<string, unknown>> | undefined): void {
  if (fees !== undefined && Object.keys(fees).length > 0) {
    throw paychaosError(
      'PAYCHAOS_ERR_STACK_ATTACH_FEES',
      `${scenario}: stack.fees (${Object.keys(fees).join(', ')}) cannot reach the attached stack ${attach.runId}: its simulators charge the rate they were started with; leave stack.fees out with --attach, or run without --attach`,
      { field: 'stack.fees', providers: Object.keys(fees) },
    );
  }
  const missing = providers.filter((p) => !Object.hasOwn(attach.providers, p));
  if (missing.length > 0) {
    throw paychaosError(
      'PAYCHAOS_ERR_STACK_ATTACH_INVALID',
      `${scenario}: stack.providers needs ${missing.join(', ')}, which the attached stack ${attach.runId} does not run (it runs ${Object.keys(attach.providers).join(', ')}); start \`paychaos up\` with this scenario`,
      { field: 'providers', missing },
    );
  }
}
