/**
 * Durations in a behaviour profile, k6-style: `250ms`, `30s`, `2m`, `1h`, `1m30s`; a bare number
 * in a string means seconds. Returns milliseconds, or undefined when the text is not a duration.
 * (The simulators sit below the scenario layer, which imports them, so they parse their own.)
 */
const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

export function parseDuration(text: string): number | undefined {
  const t = text.trim();
  if (/^\d+(\.\d+)?$/.test(t)) return Number(t) * 1000;
  if (!/^(\d+(\.\d+)?(ms|s|m|h))+$/.test(t)) return undefined;
  let total = 0;
  for (const m of t.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)) total += Number(m[1]) * UNIT_MS[m[2]!]!;
  return total;
}
