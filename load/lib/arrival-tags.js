// @ts-check
/**
 * The scenario tags that carry an arrival-rate scenario's schedule into k6's output (k6 puts a
 * scenario's tags on every sample it emits; `--out json` records no options). Written by
 * load/options.js, read by `paychaos ingest k6` and `--load k6` (src/load/k6).
 */

/** Iterations the scenario schedules over its arrival window (integer, as a string). */
export const ARRIVALS_TAG = 'paychaos_arrivals';

/** The arrival window: the scenario's duration (sum of its stages), gracefulStop excluded, e.g. "10s". */
export const ARRIVAL_WINDOW_TAG = 'paychaos_arrival_window';
