import type { Results } from '../results-schema.js';
import { measured as show } from './format.js';

export type Tone = 'ok' | 'warn' | 'bad';

/** The run's verdict in words: what the page and summary.md open with. */
export interface Verdict {
  /** HELD, FAILED, INTERRUPTED, HARNESS FAILED, CANARY MARGINAL, CANARY INCONCLUSIVE. */
  readonly word: string;
  readonly tone: Tone;
  /** One sentence saying why. */
  readonly because: string;
  /** What failed, one line each (assertions with measured vs threshold, violated invariants, canary reasons). */
  readonly failures: readonly string[];
}

/**
 * The verdict in the same order as the exit code (src/run/verdict.ts, docs/results.md "Exit
 * code"): interrupted, harness failed, an invariant or assertion failed, the canary's verdict,
 * else held. It reads only results.json, so a report re-rendered later says the same.
 */
export function verdictOf(r: Pick<Results, 'status' | 'invariants' | 'assertions' | 'canary'> & Partial<Pick<Results, 'crashes'>>): Verdict {
  const failures = [
    ...(r.crashes ?? []).map((c) => `${c.part} crashed at ${c.atS} s: ${c.message}`),
    ...r.assertions.filter((a) => !a.passed).map((a) => `assertion ${a.name}: measured ${show(a.measured)}, threshold ${show(a.threshold)}`),
    ...r.invariants.filter((i) => !i.passed).map((i) => `invariant ${i.name}: ${i.violations.length} violation(s) over ${i.checked}${i.unit ? ` ${i.unit}` : ''}`),
    ...(r.canary && r.canary.verdict !== 'pass' ? [`canary ${r.canary.verdict}: ${r.canary.reasons.join('; ') || 'no reason given'}`] : []),
  ];
  if (r.status === 'interrupted') return { word: 'INTERRUPTED', tone: 'warn', because: 'the run was stopped early: what ran is measured, but not judged whole', failures };
  if (r.status === 'failed') {
    const crashed = (r.crashes ?? []).map((c) => c.part);
    const because = crashed.length > 0 ? `${crashed.join(', ')} crashed mid-run and the run was stopped: the figures cover what ran, the invariants every part still alive` : 'a part of the harness failed (a part would not start or crashed): the figures cover what ran';
    return { word: 'HARNESS FAILED', tone: 'bad', because, failures };
  }
  const badAssertions = r.assertions.filter((a) => !a.passed).length;
  const badInvariants = r.invariants.filter((i) => !i.passed).length;
  if (badAssertions + badInvariants > 0) {
    const parts = [badInvariants ? `${badInvariants} money invariant(s) violated` : '', badAssertions ? `${badAssertions} assertion(s) failed` : ''].filter(Boolean);
    return { word: 'FAILED', tone: 'bad', because: parts.join(' and '), failures };
  }
  const canary = r.canary?.verdict;
  if (canary === 'fail') return { word: 'FAILED', tone: 'bad', because: 'the canary regressed against its baseline', failures };
  if (canary === 'marginal') return { word: 'CANARY MARGINAL', tone: 'warn', because: 'every assertion and invariant held; the canary scored marginal', failures };
  if (canary === 'inconclusive') return { word: 'CANARY INCONCLUSIVE', tone: 'warn', because: 'every assertion and invariant held; the canary judge could not decide', failures };
  return { word: 'HELD', tone: 'ok', because: `every assertion (${r.assertions.length}) and money invariant (${r.invariants.length}) held${canary === 'pass' ? ', and the canary passed' : ''}`, failures };
}

