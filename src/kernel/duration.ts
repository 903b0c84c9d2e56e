/**
 * Durations (`500ms`, `30s`, `2m`, `1m30s`; a bare number is seconds): the shared parser in
 * load/lib, so CLI flags, scenario files and k6 profiles agree. Returns ms or undefined.
 */
export { parseDurationMs } from '../../load/lib/index.js';

/** Format milliseconds back into the shortest k6-style duration. */
export function formatDurationMs(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms % 60_000 !== 0 || ms < 60_000) return `${+(ms / 1000).toFixed(3)}s`;
  return `${ms / 60_000}m`;
}
