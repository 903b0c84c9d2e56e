import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { renderJunit, type Results } from '../../../src/report/index.js';

function results(over: Partial<Results> = {}): Results {
  return {
    schemaVersion: 1,
    runId: 'run-1',
    scenario: 'smoke',
    startedAt: '2026-12-06T00:00:00.000Z',
    endedAt: '2026-12-06T00:00:30.000Z',
    durationS: 30,
    status: 'completed',
    paychaosVersion: '0.1.0',
    load: { engine: 'builtin', targetRate: 10, achievedRate: 10, scheduledIterations: 300, droppedIterations: 0, maxInFlight: 5, eventLoopLagP99Ms: 3, driverHealthy: true },
    variants: {},
    timeline: [],
    faults: [],
    invariants: [{ name: 'no-double-charge', passed: true, checked: 290, violations: [] }],
    assertions: [{ name: 'success_rate rate>=0.97', passed: true, measured: 0.99, threshold: 0.97 }],
    ...over,
  } as Results;
}

const parse = (xml: string) => new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (name) => ['testsuite', 'testcase'].includes(name) }).parse(xml);

describe('junit.xml', () => {
  it('is one suite per scenario and one case per assertion and invariant, name and time on every one', () => {
    const xml = renderJunit([{ results: results() }, { results: results({ scenario: 'duplicate-submit', durationS: 12.5 }) }]);
    expect(XMLValidator.validate(xml)).toBe(true);
    const doc = parse(xml);
    expect(doc.testsuites).toMatchObject({ tests: '4', failures: '0', errors: '0', time: '42.500' });
    const suites = doc.testsuites.testsuite;
    expect(suites.map((s: { name: string }) => s.name)).toEqual(['smoke', 'duplicate-submit']);
    for (const s of suites) {
      expect(s.time).toMatch(/^\d+\.\d{3}$/);
      for (const c of s.testcase) {
        expect(c.name).toBeTruthy();
        expect(c.time).toBe('0');
      }
    }
    expect(suites[0].testcase.map((c: { name: string }) => c.name)).toEqual(['success_rate rate>=0.97', 'invariant no-double-charge']);
  });

  it('fails an assertion with its measured value and threshold, and points at the report', () => {
    const xml = renderJunit([{ results: results({ assertions: [{ name: 'latency p(99)<800', passed: false, measured: 912.5, threshold: 800 }] }), reportPath: 'out/smoke/report.html' }]);
    const c = parse(xml).testsuites.testsuite[0].testcase[0];
    expect(c.failure.message).toBe('latency p(99)<800: measured 912.5, threshold 800 — see out/smoke/report.html');
    expect(parse(xml).testsuites.failures).toBe('1');
  });

  it('names every double-charged order in the invariant failure, and skips an invariant that could not be evaluated', () => {
    const xml = renderJunit([
      {
        results: results({
          invariants: [
            { name: 'no-double-charge', passed: false, checked: 10, violations: [{ orderId: 'o-1', provider: 'stripe', message: 'charged 2× 1,000 EUR', paymentIds: ['pi_1', 'pi_2'], traceId: 'abc' }] },
            { name: 'captures-within-orders', passed: true, checked: 0, violations: [], notEvaluated: 'k6 output carries no amounts' },
          ],
        }),
      },
    ]);
    const [double, within] = parse(xml).testsuites.testsuite[0].testcase.slice(1);
    expect(double.failure.message).toBe('no-double-charge: 1 violation(s) over 10 checked');
    expect(double.failure['#text']).toContain('stripe order o-1: charged 2× 1,000 EUR (trace abc)');
    expect(within.skipped.message).toBe('k6 output carries no amounts');
  });

  it('reports an interrupted or failed run as an error, and a failing canary verdict as a failure', () => {
    const xml = renderJunit([{ results: results({ status: 'interrupted', canary: { verdict: 'fail', score: 40 } as Results['canary'] }) }]);
    const cases = parse(xml).testsuites.testsuite[0].testcase;
    expect(cases[0]).toMatchObject({ name: 'run completed', error: { type: 'interrupted' } });
    expect(cases.at(-1)).toMatchObject({ name: 'canary verdict', failure: { type: 'fail' } });
    expect(parse(xml).testsuites.errors).toBe('1');
  });

  it('keeps names unique within a suite and escapes markup and control characters', () => {
    const nasty = 'p(99)<800 & "quoted" \u0001end';
    const xml = renderJunit([{ results: results({ assertions: [{ name: nasty, passed: true, measured: 1, threshold: 800 }, { name: nasty, passed: false, measured: 900, threshold: 800 }] }) }]);
    expect(XMLValidator.validate(xml)).toBe(true);
    const names = parse(xml).testsuites.testsuite[0].testcase.map((c: { name: string }) => c.name);
    expect(names.slice(0, 2)).toEqual(['p(99)<800 & "quoted" end', 'p(99)<800 & "quoted" end (2)']);
  });
});
