/**
 * The event-loop lag (p99) above which the built-in driver is deemed to have fallen behind: past
 * it, arrivals are released in bursts a fifth of a second late, and the run measures the harness.
 * One figure for the driver's assertion and for every place that explains a verdict.
 */
export const HEALTHY_LAG_P99_MS = 200;
