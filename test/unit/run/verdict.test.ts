import { describe, expect, it } from 'vitest';
import { EXIT } from '../../../src/kernel/index.js';
import { exitCodeOf, type VerdictInput } from '../../../src/run/index.js';

const held = { name: 'no-double-charge', unit: 'orders', passed: true, checked: 10, violations: [] };
const violated = { ...held, passed: false, violations: [{ orderId: 'o1', provider: 'stripe', message: 'charged twice', paymentIds: ['a', 'b'] }] };
const ok = { name: 'driver_healthy', passed: true, measured: 1, threshold: 200 };
const failedAssertion = { ...ok, passed: false };
const canary = (verdict: 'pass' | 'marginal' | 'fail' | 'inconclusive') => ({ verdict, score: 50, thresholds: { pass: 95, marginal: 75 }, reasons: [], groups: [], metrics: [] });

const input = (over: Partial<VerdictInput>): VerdictInput => ({ status: 'completed', invariants: [held], assertions: [ok], ...over });

describe('the exit code, derived from results alone', () => {
  it.each<[string, VerdictInput, number]>([
    ['everything held', input({}), EXIT.OK],
    ['no invariants or assertions at all (an ingested run)', input({ invariants: [], assertions: [] }), EXIT.OK],
    ['an invariant violated', input({ invariants: [held, violated] }), EXIT.ASSERTION_FAILED],
    ['an assertion failed', input({ assertions: [ok, failedAssertion] }), EXIT.ASSERTION_FAILED],
    ['a canary that passed', input({ canary: canary('pass') }), EXIT.OK],
    ['a canary that failed', input({ canary: canary('fail') }), EXIT.ASSERTION_FAILED],
    ['a marginal canary', input({ canary: canary('marginal') }), EXIT.INCONCLUSIVE],
    ['an inconclusive canary', input({ canary: canary('inconclusive') }), EXIT.INCONCLUSIVE],
    // Money outranks the judge: a passing canary that double-charged is a failure.
    ['a violated invariant beside a passing canary', input({ invariants: [violated], canary: canary('pass') }), EXIT.ASSERTION_FAILED],
    ['a violated invariant beside an inconclusive canary', input({ invariants: [violated], canary: canary('inconclusive') }), EXIT.ASSERTION_FAILED],
    ['an interrupted run, even with a violation', input({ status: 'interrupted', invariants: [violated] }), EXIT.INTERRUPTED],
    ['a run a part of which failed', input({ status: 'failed' }), EXIT.HARNESS_FAILED],
    ['a failed run with a failed assertion (the harness failure wins)', input({ status: 'failed', assertions: [failedAssertion] }), EXIT.HARNESS_FAILED],
  ])('%s → exit %i', (_name, results, code) => {
    expect(exitCodeOf(results)).toBe(code);
  });

  it('treats an invariant not evaluated as neither held nor failed: it does not fail the run', () => {
    expect(exitCodeOf(input({ invariants: [{ ...held, name: 'captures-within-orders', checked: 0, notEvaluated: 'k6 output carries no amounts' }] }))).toBe(EXIT.OK);
  });
});
