/** Number formats shared by report.html, summary.md and the comparison, so they agree digit for digit. */

export const pct = (x: number): string => `${(x * 100).toFixed(2)}%`;

export const ms = (x: number): string => (x >= 100 ? `${x.toFixed(0)} ms` : `${x.toFixed(1)} ms`);

/** A signed difference in percentage points. */
export const pp = (x: number): string => `${x >= 0 ? '+' : '−'}${Math.abs(x * 100).toFixed(2)} pp`;

/** A signed difference in ms, with the ratio when the base is non-zero. */
export function msDelta(before: number, after: number): string {
  const d = after - before;
  const ratio = before > 0 ? ` (×${(after / before).toFixed(2)})` : '';
  return `${d >= 0 ? '+' : '−'}${Math.abs(d).toFixed(1)} ms${ratio}`;
}

/** A measured value or threshold as results.json holds it (null: nothing measured). */
export const measured = (x: number | null): string => (x === null ? 'nothing' : String(Math.round(x * 10_000) / 10_000));

/** Seconds since the run started. */
export const secs = (x: number | undefined): string => (x === undefined ? '—' : `${(Math.round(x * 1000) / 1000).toString()} s`);
