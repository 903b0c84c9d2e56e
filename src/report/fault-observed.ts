import type { FaultRecord } from './results-schema.js';

/**
 * What a fault step did while it was on, as every report says it (report.html, summary.md, the
 * printed summary), from results.faults[].observed:
 *
 *   observed absent ─────────────▶ not-counted  (its layer cannot tell, or an older results file)
 *   observed, every count 0 ─────▶ hit-nothing  (the step met no request: it proved nothing)
 *   observed, some count > 0 ────▶ counted
 *
 * One place decides, so the three reports never disagree about which step proved nothing.
 */
export type Observation =
  | { readonly kind: 'counted'; readonly counts: readonly ObservedCount[]; readonly total: number }
  | { readonly kind: 'hit-nothing'; readonly counts: readonly ObservedCount[]; readonly total: 0 }
  | { readonly kind: 'not-counted' };

/** One kind of fault decision (a simulator profile field, e.g. `commitThenError`) and how often it was taken. */
export type ObservedCount = readonly [kind: string, count: number];

/** The warning every report prints beside a step that observed 0 (docs/results.md quotes it). */
export const HIT_NOTHING = 'hit nothing — the scenario proved nothing about this fault';

/** What a step without counts shows: nothing was measured, which is not the same as 0. */
export const NOT_COUNTED = 'not counted';

export function observationOf(fault: Pick<FaultRecord, 'observed'>): Observation {
  // An empty record is a step that counted no kind at all: as silent as an absent one, not a 0.
  const counts = Object.entries(fault.observed ?? {});
  if (counts.length === 0) return { kind: 'not-counted' };
  const total = counts.reduce((sum, [, n]) => sum + n, 0);
  return total === 0 ? { kind: 'hit-nothing', counts, total } : { kind: 'counted', counts, total };
}

/** The counts in words, in the order the step recorded them: `commitThenError 5, serverErrors 0`. */
export function observedCountsText(o: Observation): string {
  return o.kind === 'not-counted' ? NOT_COUNTED : o.counts.map(([kind, n]) => `${kind} ${n}`).join(', ');
}
