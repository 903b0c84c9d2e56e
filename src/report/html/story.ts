import type { FaultRecord, Results } from '../results-schema.js';
import type { EventsDigest, FaultSighting } from './events-digest.js';

export interface StoryStep {
  /** Seconds since the run started; undefined for what never happened. */
  readonly atS: number | undefined;
  readonly what: string;
}

/** One fault window told as a story: injected → first failure → switch → undone → recovery → switch back. */
export interface FaultStory {
  readonly fault: FaultRecord;
  readonly title: string;
  readonly steps: readonly StoryStep[];
  /** From the fault taking effect to the first failed answer through its target. */
  readonly detectS?: number;
  /** From the fault taking effect to the gateway's first failover answer. */
  readonly switchS?: number;
  /** From the fault being undone to the first success through its target. */
  readonly recoverS?: number;
}

const r3 = (x: number): number => Math.round(x * 1000) / 1000;

/**
 * Each fault window's story, from results.faults (when the control plane acted) and, when
 * events.jsonl was there, what the shoppers saw. Client-layer faults (duplicate submits) change
 * what shoppers do, not what the gateway meets: they have no failover story.
 */
export function faultStories(results: Pick<Results, 'faults'>, digest: EventsDigest | undefined): FaultStory[] {
  return results.faults
    .filter((f) => f.layer !== 'client')
    .map((f) => story(f, digest?.sightings.find((s) => s.faultId === f.id), digest));
}

function story(f: FaultRecord, seen: FaultSighting | undefined, digest: EventsDigest | undefined): FaultStory {
  const steps: StoryStep[] = [];
  const target = f.target;
  steps.push({ atS: f.startS, what: `${f.type} (${f.layer}) took effect on ${target}${f.plannedAtS !== f.startS ? ` — planned at ${f.plannedAtS} s` : ''}` });
  if (f.error) steps.push({ atS: f.startS, what: `the control plane reported an error: ${f.error}` });
  steps.push({ atS: f.endS, what: `${f.type} undone on ${target}${f.endS === f.startS ? ' (it never took effect for any time)' : ''}` });
  for (const c of digest?.crashes ?? []) {
    if (c.atS >= f.startS && c.atS <= f.endS + 5) steps.push({ atS: c.atS, what: `${c.part} crashed: ${c.message}` });
  }
  let detectS: number | undefined;
  let switchS: number | undefined;
  let recoverS: number | undefined;
  if (!digest) {
    steps.push({ atS: undefined, what: 'events.jsonl was not available: what the shoppers saw is unknown, only the window is' });
  } else {
    const through = seen?.providers.length ? seen.providers.join(', ') : target;
    if (seen?.firstFailureMs !== undefined) {
      detectS = r3(seen.firstFailureMs / 1000 - f.startS);
      steps.push({ atS: r3(seen.firstFailureMs / 1000), what: `first failed answer through ${through} (${detectS} s after it took effect)` });
    } else steps.push({ atS: undefined, what: `no failed answer through ${through} at or after the fault took effect` });
    if (seen?.firstFailoverMs !== undefined) {
      switchS = r3(seen.firstFailoverMs / 1000 - f.startS);
      steps.push({ atS: r3(seen.firstFailoverMs / 1000), what: `the gateway switched: first answer marked as a failover (${switchS} s after it took effect)` });
      steps.push({ atS: r3(seen.lastFailoverMs! / 1000), what: 'last answer marked as a failover: the gateway switched back after this' });
    } else steps.push({ atS: undefined, what: 'no answer was marked as a failover (the gateway did not report switching)' });
    if (seen?.firstSuccessAfterMs !== undefined) {
      recoverS = r3(seen.firstSuccessAfterMs / 1000 - f.endS);
      steps.push({ atS: r3(seen.firstSuccessAfterMs / 1000), what: `first success through ${through} after it was undone (recovered ${recoverS} s after)` });
    } else if (f.endS > f.startS) steps.push({ atS: undefined, what: `no success through ${through} after it was undone` });
  }
  steps.sort((a, b) => (a.atS ?? Infinity) - (b.atS ?? Infinity));
  return {
    fault: f,
    title: `${f.id}: ${f.type} on ${target}, ${f.startS}–${f.endS} s`,
    steps,
    ...(detectS !== undefined ? { detectS } : {}),
    ...(switchS !== undefined ? { switchS } : {}),
    ...(recoverS !== undefined ? { recoverS } : {}),
  };
}
