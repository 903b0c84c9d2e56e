/**
 * Durations in a behaviour profile, k6-style: `250ms`, `30s`, `2m`, `1h`, `1m30s`; a bare number
 * in a string means seconds. The shared parser in load/lib (a leaf module: importing it creates
 * no cycle with the scenario layer, which imports the simulators). Returns ms or undefined.
 */
import { parseDurationMs } from '../../load/lib/index.js';

export function parseDuration(text: string): number | undefined {
  return parseDurationMs(text);
}
