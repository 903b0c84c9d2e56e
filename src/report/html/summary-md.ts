import { HIT_NOTHING, observationOf, observedCountsText } from '../fault-observed.js';
import type { Results } from '../results-schema.js';
import type { EventsDigest } from './events-digest.js';
import { measured, ms, pct, secs } from './format.js';
import { cores, cpu, partsByCpu } from './section-parts.js';
import { faultStories } from './story.js';
import { verdictOf } from './verdict.js';

/** A table cell: pipes and line breaks would break the row. */
const cell = (s: unknown): string => String(s).replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
const row = (cells: readonly unknown[]): string => `| ${cells.map(cell).join(' | ')} |`;
const head = (cells: readonly string[], numeric: readonly number[] = []): string[] => [row(cells), `|${cells.map((_, i) => (numeric.includes(i) ? '---:' : '---')).join('|')}|`];

/**
 * summary.md: the run for a pull-request comment or a release ticket — verdict, failed
 * assertions with measured vs threshold, key figures per variant and provider, money, faults (with what each step observed),
 * parts that crashed and CPU per part, and the canary verdict with its reasons. GitHub-flavoured Markdown, no HTML.
 */
export function renderSummaryMarkdown(r: Results, options: { digest?: EventsDigest; reportLink?: string } = {}): string {
  const v = verdictOf(r);
  const out: string[] = [];
  out.push(`## paychaos ${cell(r.scenario)}: ${v.word}`, '');
  const l = r.load;
  out.push(`Run \`${r.runId}\` · ${r.status} · ${r.durationS} s · ${l.engine} load at ${l.targetRate}/s (achieved ${l.achievedRate.toFixed(1)}/s, ${l.droppedIterations} dropped) · ${r.faults.length} fault(s)${options.reportLink ? ` · [report](${options.reportLink})` : ''}`, '');
  out.push(`**Why:** ${v.because}.`, '');

  const failed = r.assertions.filter((a) => !a.passed);
  if (failed.length) {
    out.push('### Failed assertions', '', ...head(['assertion', 'measured', 'threshold'], [1, 2]));
    for (const a of failed) out.push(row([a.name, measured(a.measured), measured(a.threshold)]));
    out.push('');
  } else out.push(r.assertions.length ? `All ${r.assertions.length} assertion(s) held.` : 'No assertions were made.', '');

  out.push('### Key figures', '', ...head(['variant · provider', 'requests', 'success', 'failed', 'pending', 'p50', 'p95', 'p99'], [1, 2, 3, 4, 5, 6, 7]));
  for (const name of ['baseline', 'canary'] as const) {
    const d = r.variants[name];
    if (!d) continue;
    const line = (label: string, s: typeof d | (typeof d.byProvider)[string]) => row([label, s.requests, pct(s.successRate), s.failed, s.pending, ms(s.latencyMs.p50), ms(s.latencyMs.p95), ms(s.latencyMs.p99)]);
    out.push(line(`**${name}**`, d));
    for (const [p, s] of Object.entries(d.byProvider).sort(([, a], [, b]) => b.requests - a.requests)) out.push(line(`${name} · ${p}`, s));
  }
  out.push('');

  if (r.invariants.length) {
    out.push('### Money invariants', '', ...head(['invariant', 'result', 'checked', 'violations'], [2, 3]));
    for (const i of r.invariants) out.push(row([i.name, (i.notEvaluated ? `not evaluated: ${i.notEvaluated}` : i.passed ? 'held' : '**VIOLATED**') + Object.entries(i.notEvaluatedFor ?? {}).map(([p, why]) => `; not evaluated for ${p}: ${why}`).join(''), `${i.checked}${i.unit ? ` ${i.unit}` : ''}`, i.violations.length]));
    out.push('');
    const violations = r.invariants.flatMap((i) => i.violations.map((x) => ({ name: i.name, ...x })));
    for (const x of violations.slice(0, 10)) out.push(`- ${cell(x.name)}: order \`${x.orderId}\` at ${cell(x.provider)} (${cell(x.paymentIds.join(', '))})${x.traceId ? `, trace \`${x.traceId}\`` : ''} — ${cell(x.message)}`);
    if (violations.length > 10) out.push(`- … and ${violations.length - 10} more in results.json`);
    if (violations.length) out.push('');
  }

  if (r.faults.length) {
    const stories = faultStories(r, options.digest);
    out.push('### Faults', '', ...head(['fault', 'type', 'target', 'window', 'observed', 'time to detect', 'time to switch', 'time to switch back'], []));
    const idle: string[] = [];
    for (const f of r.faults) {
      const s = stories.find((x) => x.fault.id === f.id);
      const o = observationOf(f);
      if (o.kind === 'hit-nothing') idle.push(`- ⚠ **${cell(f.id)}** (${cell(f.type)} on ${cell(f.target)}, ${f.startS}–${f.endS} s): ${HIT_NOTHING} (${cell(observedCountsText(o))}).`);
      out.push(row([f.id, `${f.type} (${f.layer})`, f.target, `${f.startS}–${f.endS} s${f.error ? ` — error: ${f.error}` : ''}`, `${observedCountsText(o)}${o.kind === 'hit-nothing' ? ' ⚠ hit nothing' : ''}`, secs(s?.detectS), secs(s?.switchS), secs(s?.switchBackS)]));
    }
    out.push('');
    // Below the table, where a reviewer skimming for red reads it: these steps tested nothing.
    if (idle.length) out.push(...idle, '');
  }

  const crashes = r.crashes ?? [];
  if (crashes.length) {
    out.push(`### Crashes: ${crashes.length} part(s) died mid-run`, '', ...head(['part', 'at', 'what', 'log'], [1]));
    for (const x of crashes) out.push(row([x.part, secs(x.atS), `${x.code}: ${x.message}`, x.log ?? '—']));
    out.push('');
  }
  const parts = partsByCpu(r);
  if (parts.length) {
    out.push('### CPU per part', '', ...head(['part', 'CPU', 'cores'], [1, 2]));
    for (const p of parts) out.push(row([p.name, cpu(p.cpuS), cores(p.cores)]));
    out.push('');
  }

  const c = r.canary;
  if (c) {
    out.push(`### Canary: ${c.verdict.toUpperCase()} (score ${c.score ?? 'n/a'}; pass ≥ ${c.thresholds.pass}, marginal ≥ ${c.thresholds.marginal})`, '');
    for (const reason of c.reasons) out.push(`- ${cell(reason)}`);
    if (c.reasons.length) out.push('');
    out.push(...head(['metric', 'class', 'why']));
    for (const m of c.metrics) out.push(row([m.name, m.classification, m.reason]));
    out.push('');
  }
  return `${out.join('\n').trimEnd()}\n`;
}
