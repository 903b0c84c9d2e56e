import type { Results } from './results-schema.js';

/**
 * junit.xml: one test case per assertion, invariant and canary verdict, one test suite per
 * scenario, in the flat `testsuites > testsuite > testcase` shape that GitLab, Jenkins and
 * GitHub's test reporters all read — `name` and `time` on every suite and case, names unique
 * within a suite, the measured value and threshold in every failure message, and a failing
 * scenario's message pointing at its report. Pure: no I/O.
 */
export interface JunitSuite {
  readonly results: Results;
  /** Where the scenario's HTML report (or results.json) is, named in failure messages. */
  readonly reportPath?: string;
}

interface Case {
  name: string;
  classname: string;
  failure?: { type: string; message: string; detail?: string };
  skipped?: string;
  error?: { type: string; message: string };
}

export function renderJunit(suites: readonly JunitSuite[]): string {
  const rendered = suites.map(renderSuite);
  const tests = rendered.reduce((n, s) => n + s.tests, 0);
  const failures = rendered.reduce((n, s) => n + s.failures, 0);
  const errors = rendered.reduce((n, s) => n + s.errors, 0);
  const time = suites.reduce((t, s) => t + s.results.durationS, 0);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="paychaos" tests="${tests}" failures="${failures}" errors="${errors}" time="${seconds(time)}">`,
    ...rendered.map((s) => s.xml),
    '</testsuites>',
    '',
  ].join('\n');
}

function renderSuite(suite: JunitSuite): { xml: string; tests: number; failures: number; errors: number } {
  const r = suite.results;
  const where = suite.reportPath ? ` — see ${suite.reportPath}` : '';
  const cases: Case[] = [];
  const classname = `paychaos.${r.scenario}`;
  if (r.status !== 'completed') cases.push({ name: 'run completed', classname, error: { type: r.status, message: `the run ended ${r.status}${where}` } });
  for (const a of r.assertions) {
    const reason = (a as { reason?: string }).reason;
    const measured = `measured ${a.measured ?? 'nothing'}, threshold ${a.threshold ?? 'none'}${reason ? ` (${reason})` : ''}`;
    cases.push({ name: a.name, classname: `${classname}.assertions`, ...(a.passed ? {} : { failure: { type: 'assertion', message: `${a.name}: ${measured}${where}` } }) });
  }
  for (const inv of r.invariants) {
    const name = `invariant ${inv.name}`;
    if (inv.notEvaluated) {
      cases.push({ name, classname: `${classname}.invariants`, skipped: inv.notEvaluated });
      continue;
    }
    const shown = inv.violations.slice(0, 20).map((v) => `${v.provider} order ${v.orderId}: ${v.message}${v.traceId ? ` (trace ${v.traceId})` : ''}`);
    const more = inv.violations.length > shown.length ? [`… and ${inv.violations.length - shown.length} more`] : [];
    cases.push({
      name,
      classname: `${classname}.invariants`,
      ...(inv.passed ? {} : { failure: { type: 'invariant', message: `${inv.name}: ${inv.violations.length} violation(s) over ${inv.checked} checked${where}`, detail: [...shown, ...more].join('\n') } }),
    });
  }
  const canary = r.canary;
  if (canary) {
    const ok = canary.verdict === 'pass';
    cases.push({ name: 'canary verdict', classname: `${classname}.canary`, ...(ok ? {} : { failure: { type: canary.verdict, message: `canary verdict ${canary.verdict} (score ${canary.score ?? '?'}, pass needed)${where}` } }) });
  }
  uniqueNames(cases);
  const failures = cases.filter((c) => c.failure).length;
  const errors = cases.filter((c) => c.error).length;
  const skipped = cases.filter((c) => c.skipped !== undefined).length;
  const xml = [
    `  <testsuite name="${attr(r.scenario)}" tests="${cases.length}" failures="${failures}" errors="${errors}" skipped="${skipped}" time="${seconds(r.durationS)}" timestamp="${attr(r.startedAt.replace(/Z$/, ''))}">`,
    `    <properties><property name="runId" value="${attr(r.runId)}"/><property name="status" value="${attr(r.status)}"/></properties>`,
    ...cases.map(renderCase),
    '  </testsuite>',
  ].join('\n');
  return { xml, tests: cases.length, failures, errors };
}

function renderCase(c: Case): string {
  const open = `    <testcase name="${attr(c.name)}" classname="${attr(c.classname)}" time="0"`;
  if (c.failure) return `${open}>\n      <failure type="${attr(c.failure.type)}" message="${attr(c.failure.message)}">${text(c.failure.detail ?? c.failure.message)}</failure>\n    </testcase>`;
  if (c.error) return `${open}>\n      <error type="${attr(c.error.type)}" message="${attr(c.error.message)}"/>\n    </testcase>`;
  if (c.skipped !== undefined) return `${open}>\n      <skipped message="${attr(c.skipped)}"/>\n    </testcase>`;
  return `${open}/>`;
}

/** Reporters key cases by name: a repeated name gets " (2)", " (3)" … */
function uniqueNames(cases: Case[]): void {
  const seen = new Map<string, number>();
  for (const c of cases) {
    const n = (seen.get(c.name) ?? 0) + 1;
    seen.set(c.name, n);
    if (n > 1) c.name = `${c.name} (${n})`;
  }
}

function seconds(s: number): string {
  return (Math.round(s * 1000) / 1000).toFixed(3);
}

/** XML 1.0 text: characters it cannot hold are dropped, markup escaped. */
function text(s: string): string {
  return s
    .replace(/[^\t\n\r\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
}

function attr(s: string): string {
  return text(s).replace(/"/g, '&quot;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;').replace(/\t/g, '&#9;');
}
