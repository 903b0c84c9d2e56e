/**
 * Special functions the tests need: log-gamma, the regularised incomplete gamma function, and
 * from them the normal and chi-square tail probabilities. Written here, rather than adding a
 * dependency for four functions, after Numerical Recipes, 3rd ed., §6.1–6.2; the unit tests
 * check them against an independent implementation (Python's math.lgamma, SciPy/Cephes).
 */

// Lanczos approximation, g = 7, n = 9 (Godfrey's coefficients): |relative error| < 1e-15.
const LANCZOS_G = 7;
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905,
  -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];
const HALF_LOG_TWO_PI = 0.9189385332046728;

/** ln Γ(x) for x > 0. */
export function lnGamma(x: number): number {
  if (!(x > 0)) throw new RangeError(`lnGamma: x must be > 0, got ${x}`);
  // Reflection keeps the series in its accurate range: Γ(x)Γ(1−x) = π / sin(πx).
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - lnGamma(1 - x);
  const z = x - 1;
  let a = LANCZOS[0]!;
  for (let i = 1; i < LANCZOS.length; i++) a += LANCZOS[i]! / (z + i);
  const t = z + LANCZOS_G + 0.5;
  return HALF_LOG_TWO_PI + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

/** ln n! for integer n ≥ 0. */
export function lnFactorial(n: number): number {
  return n < 2 ? 0 : lnGamma(n + 1);
}

const EPS = 1e-16;
const TINY = 1e-300;
const MAX_ITER = 10_000;

/** P(a, x) by its series, valid (and fast) for x < a + 1. NR eq. 6.2.5. */
function gammaPSeries(a: number, x: number): number {
  let ap = a;
  let del = 1 / a;
  let sum = del;
  for (let i = 0; i < MAX_ITER; i++) {
    ap += 1;
    del *= x / ap;
    sum += del;
    if (Math.abs(del) < Math.abs(sum) * EPS) break;
  }
  return sum * Math.exp(-x + a * Math.log(x) - lnGamma(a));
}

/** Q(a, x) by its continued fraction (modified Lentz), valid for x ≥ a + 1. NR eq. 6.2.7. */
function gammaQContinuedFraction(a: number, x: number): number {
  let b = x + 1 - a;
  let c = 1 / TINY;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < MAX_ITER; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < TINY) d = TINY;
    c = b + an / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < EPS) break;
  }
  return Math.exp(-x + a * Math.log(x) - lnGamma(a)) * h;
}

/** The regularised upper incomplete gamma function Q(a, x) = Γ(a, x) / Γ(a). */
export function gammaQ(a: number, x: number): number {
  if (x <= 0) return 1;
  return x < a + 1 ? 1 - gammaPSeries(a, x) : gammaQContinuedFraction(a, x);
}

/**
 * Upper tail of the standard normal, P(Z > z). For z ≥ 0 it is erfc(z/√2)/2 = Q(1/2, z²/2)/2,
 * which keeps full relative precision far into the tail (p-values like 1e-40 stay meaningful).
 */
export function normalSf(z: number): number {
  if (Number.isNaN(z)) return Number.NaN;
  if (z < 0) return 1 - normalSf(-z);
  return 0.5 * gammaQ(0.5, (z * z) / 2);
}

/** Two-sided normal p-value, P(|Z| ≥ |z|). */
export function normalTwoSided(z: number): number {
  return Math.min(1, 2 * normalSf(Math.abs(z)));
}

/**
 * The standard normal quantile: z with P(Z ≤ z) = p. Bisection on normalSf — 200 halvings of
 * [-40, 40] reach the resolution of a double; it runs a handful of times per judgement.
 */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`normalQuantile: p must be in (0, 1), got ${p}`);
  let lo = -40;
  let hi = 40;
  for (let i = 0; i < 200 && hi - lo > 1e-15; i++) {
    const mid = (lo + hi) / 2;
    if (1 - normalSf(mid) < p) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/** Upper tail of the chi-square distribution with k degrees of freedom: Q(k/2, x/2). */
export function chiSquareSf(x: number, k: number): number {
  if (!(k > 0)) throw new RangeError(`chiSquareSf: degrees of freedom must be > 0, got ${k}`);
  return x <= 0 ? 1 : gammaQ(k / 2, x / 2);
}
