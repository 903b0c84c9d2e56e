import { z } from 'zod';
/**
 * Durations (`500ms`, `30s`, `2m`, `1m30s`; a bare number is seconds): the shared parser in
 * load/lib, so CLI flags, scenario files and k6 profiles agree. Returns ms or undefined.
 */
import { parseDurationMs } from '../../load/lib/index.js';

export { parseDurationMs };

/** Format milliseconds back into the shortest k6-style duration. */
export function formatDurationMs(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms % 60_000 !== 0 || ms < 60_000) return `${+(ms / 1000).toFixed(3)}s`;
  return `${ms / 60_000}m`;
}

const DURATION_HINT = 'expected a duration like "250ms", "30s" or "1m30s" (a bare number is seconds)';

/**
 * A k6-style duration field in a config file (`"250ms"`, `"1m30s"`, a bare number = seconds),
 * read into milliseconds — the one definition scenarios, fault steps and profiles share.
 */
export const durationSchema = z
  .union([z.number(), z.string()], { error: DURATION_HINT })
  .transform((value, ctx) => {
    const ms = parseDurationMs(String(value));
    if (ms === undefined || !Number.isFinite(ms) || ms < 0) {
      ctx.addIssue({ code: 'custom', message: `${DURATION_HINT}, got ${JSON.stringify(value)}` });
      return z.NEVER;
    }
    return ms;
  })
  .meta({ description: 'A k6-style duration: "30s", "500ms", "2m", "1m30s" (a bare number is seconds).' });
