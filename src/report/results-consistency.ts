import { LatencyHistogram } from '../analysis/index.js';
import type { Results } from './results-schema.js';

/**
 * What a schema cannot see: counts that contradict each other, and a latency histogram that is
 * not one. Each event increments `requests` and exactly one of succeeded/failed/pending (see
 * VariantAggregate), so a file where they disagree was edited or corrupted — judging it would
 * give a verdict about numbers no run measured. Every problem carries its `a.b.c` path.
 */
export function consistencyProblems(results: Results): string[] {
  const problems: string[] = [];
  for (const role of ['baseline', 'canary'] as const) {
    const v = results.variants[role];
    if (!v) continue;
    const at = `variants.${role}`;
    checkCounts(v, at, problems);
    let providers = 0;
    for (const [name, slice] of Object.entries(v.byProvider)) {
      checkCounts(slice, `${at}.byProvider.${name}`, problems);
      providers += slice.requests;
    }
    if (Object.keys(v.byProvider).length > 0 && providers !== v.requests) {
      problems.push(`${at}.byProvider: its requests add up to ${providers}, but ${at}.requests is ${v.requests}`);
    }
    let steps = 0;
    for (const [name, slice] of Object.entries(v.byBehaviour ?? {})) {
      checkCounts(slice, `${at}.byBehaviour.${name}`, problems);
      steps += slice.requests;
    }
    if (Object.keys(v.byBehaviour ?? {}).length > 0 && steps !== v.requests) {
      problems.push(`${at}.byBehaviour: its requests add up to ${steps}, but ${at}.requests is ${v.requests}`);
    }
    if (v.latencyHistogram !== '') {
      let count: number | undefined;
      try {
        count = LatencyHistogram.decode(v.latencyHistogram).count;
      } catch {
        problems.push(`${at}.latencyHistogram: not an HDR histogram in compressed base64 (as paychaos writes it); regenerate the file, or set it to "" to judge without latency`);
      }
      if (count !== undefined && count > v.requests) {
        problems.push(`${at}.latencyHistogram: holds ${count} latencies, more than the ${v.requests} requests`);
      }
    }
  }
  results.timeline.forEach((b, i) => {
    const outcomes = b.succeeded + b.failed + b.pending;
    if (outcomes !== b.requests) problems.push(`timeline[${i}]: succeeded + failed + pending = ${outcomes}, but requests is ${b.requests}`);
  });
  return problems;
}

type Counts = Pick<Results['variants'][keyof Results['variants']] & object, 'requests' | 'succeeded' | 'failed' | 'pending' | 'successRate' | 'errorCodes'>;

function checkCounts(c: Counts, at: string, problems: string[]): void {
  const outcomes = c.succeeded + c.failed + c.pending;
  if (outcomes !== c.requests) {
    problems.push(`${at}: succeeded + failed + pending = ${outcomes}, but requests is ${c.requests} (each request has exactly one outcome)`);
  }
  const rate = c.requests === 0 ? 0 : c.succeeded / c.requests;
  if (Math.abs(rate - c.successRate) > 1e-6) {
    problems.push(`${at}.successRate: is ${c.successRate}, but succeeded / requests is ${rate}`);
  }
  const coded = Object.values(c.errorCodes).reduce((a, n) => a + n, 0);
  if (coded > c.requests) problems.push(`${at}.errorCodes: count ${coded} coded answers, more than the ${c.requests} requests`);
}
