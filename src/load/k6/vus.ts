import { DEFAULT_REQUEST_TIMEOUT, PROFILE_DEFAULTS, durationSeconds, vuSizing, type Sizing, type TrafficConfig } from '../../../load/lib/index.js';

export interface K6Vus {
  preAllocatedVUs: number;
  maxVUs: number;
  /** The arithmetic behind them (load/lib/sizing.js). */
  sizing: Sizing;
  /** True when the concurrency cap is below what the sizing asked for. */
  capped: boolean;
}

/**
 * The VUs `--load k6` hands load/payments.js: sized as the script sizes them itself (Little's
 * law over the shoppers' journeys at the latency its default thresholds allow, load/lib/
 * sizing.js), then held to the run's concurrency cap — the same `maxInFlight` the built-in
 * driver drops arrivals beyond, so both engines have one limit.
 */
export function k6VusFor(o: { rate: number; traffic: Readonly<TrafficConfig>; maxInFlight: number; requestTimeout?: string }): K6Vus {
  const sizing = vuSizing({
    ratePerS: o.rate,
    traffic: o.traffic,
    slo: PROFILE_DEFAULTS.slo,
    timeoutMs: durationSeconds(o.requestTimeout ?? DEFAULT_REQUEST_TIMEOUT) * 1000,
  });
  const maxVUs = Math.min(o.maxInFlight, sizing.maxVUs);
  const preAllocatedVUs = Math.min(maxVUs, sizing.preAllocatedVUs);
  return { preAllocatedVUs, maxVUs, sizing, capped: preAllocatedVUs < sizing.preAllocatedVUs };
}
