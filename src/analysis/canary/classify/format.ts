/** Numbers in reasons: enough digits to read, never "NaN" or "Infinity" in prose. */
export function fmt(x: number, digits = 3): string {
  if (Number.isNaN(x)) return 'n/a';
  if (!Number.isFinite(x)) return x > 0 ? '∞' : '−∞';
  if (x !== 0 && Math.abs(x) < 10 ** -digits) return x.toExponential(1);
  return String(Number(x.toFixed(digits)));
}

export function fmtP(p: number): string {
  return p < 1e-4 ? `p=${p.toExponential(1)}` : `p=${fmt(p, 4)}`;
}

/** JSON has no Infinity or NaN. */
export function finiteOrNull(x: number): number | null {
  return Number.isFinite(x) ? x : null;
}
