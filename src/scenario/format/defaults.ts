import type { ScenarioFile } from './schema.js';

/**
 * Every default of a scenario, in one place: what a field left out means. The loader applies
 * them once, after validation, so the engine never guesses.
 */
export const SCENARIO_DEFAULTS = Object.freeze({
  gatewayMode: 'child' as const,
  providerTimeoutMs: 10_000,
  seed: 1,
  timeScale: 1,
  /** Wallet shoppers confirm on their phone this long after the merchant asks. */
  shopperApprovesAfterMs: 150,
  engine: 'builtin' as const,
  mix: 'cards' as const,
  /** maxInFlight when not given: two seconds of the peak rate, at least 50. */
  maxInFlightSeconds: 2,
  minMaxInFlight: 50,
  invariants: ['no-double-charge', 'captures-within-orders'] as const,
  /**
   * Scenarios are short (CI minutes): a duplicate submit comes back within half a second and an
   * abandoning shopper within a second, so both land inside the run and inside a fault's window.
   */
  duplicateAfter: { minMs: 50, maxMs: 500 },
  resumeAfter: { minMs: 200, maxMs: 1000 },
  /** A refund or cancel follows its paid (or held) answer within half a second: inside the run. */
  lifecycleAfter: { minMs: 50, maxMs: 500 },
});

/** The highest arrival rate a load section asks for. */
export function peakRate(load: ScenarioFile['load']): number {
  return load.executor === 'constant-arrival-rate' ? load.rate : Math.max(load.startRate ?? 0, ...load.stages.map((s) => s.target));
}

/** How long a load section drives, in ms. */
export function loadDurationMs(load: ScenarioFile['load']): number {
  return load.executor === 'constant-arrival-rate' ? load.duration : load.stages.reduce((sum, s) => sum + s.duration, 0);
}

export function maxInFlightOf(load: ScenarioFile['load']): number {
  return load.maxInFlight ?? Math.max(SCENARIO_DEFAULTS.minMaxInFlight, Math.ceil(peakRate(load) * SCENARIO_DEFAULTS.maxInFlightSeconds));
}
