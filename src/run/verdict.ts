import { verdictExitCode } from '../analysis/index.js';
import { EXIT, type ExitCode } from '../kernel/index.js';
import type { Results } from '../report/index.js';

/** What the verdict reads: a results file, whoever wrote it (a run now, `paychaos judge` later). */
export type VerdictInput = Pick<Results, 'status' | 'invariants' | 'assertions' | 'canary'>;

/**
 * A run's exit code, derived from its results alone (README "Exit codes"), so the file and the
 * exit code cannot disagree and a results.json re-read later gives the same verdict. In order:
 *
 *   status interrupted                  → 130 (what ran is measured, but not judged whole)
 *   status failed                       →   3 (the harness failed: a part would not start)
 *   an invariant or assertion failed    →   1 (money is sacred: this outranks the canary)
 *   a canary verdict                    → the judge's code: pass 0, fail 1, marginal or inconclusive 4
 *   otherwise                           →   0
 */
export function exitCodeOf(results: VerdictInput): ExitCode {
  if (results.status === 'interrupted') return EXIT.INTERRUPTED;
  if (results.status === 'failed') return EXIT.HARNESS_FAILED;
  if (!results.invariants.every((i) => i.passed) || !results.assertions.every((a) => a.passed)) return EXIT.ASSERTION_FAILED;
  if (results.canary) return verdictExitCode(results.canary.verdict) as ExitCode;
  return EXIT.OK;
}
