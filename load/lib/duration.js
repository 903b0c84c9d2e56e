// @ts-check
/**
 * Durations as k6 and Go write them — `500ms`, `30s`, `2m`, `1h`, `1m30s` — the one parser
 * every part of paychaos uses (CLI flags, behaviour profiles, load profiles), so a duration means
 * the same everywhere. Plain ES2017: k6 loads this file too.
 */

/** @type {Readonly<Record<string, number>>} */
const UNIT_MS = { ms: 1, s: 1000, m: 60000, h: 3600000 };

/**
 * Milliseconds in `text`, or undefined when it is not a duration. A bare number is seconds
 * (`"30"` → 30000) unless `bareSeconds` is false (k6 itself does not take bare numbers).
 * @param {string} text
 * @param {{ bareSeconds?: boolean }} [options]
 * @returns {number | undefined}
 */
export function parseDurationMs(text, options) {
  const t = String(text).trim();
  if (/^\d+(\.\d+)?$/.test(t)) return options && options.bareSeconds === false ? undefined : Number(t) * 1000;
  if (!/^(\d+(\.\d+)?(ms|s|m|h))+$/.test(t)) return undefined;
  let total = 0;
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h)/g;
  let m;
  while ((m = re.exec(t)) !== null) total += Number(m[1]) * /** @type {number} */ (UNIT_MS[/** @type {string} */ (m[2])]);
  return total;
}
