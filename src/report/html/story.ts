import { parseFailoverAssertionName, type FailoverFigure } from '../../analysis/index.js';
import { HIT_NOTHING, observationOf, observedCountsText } from '../fault-observed.js';
import type { AssertionResult, FaultRecord, Results } from '../results-schema.js';
import type { EventsDigest, FaultSighting } from './events-digest.js';

/**
 * The moments of a failover drill, in the order they should happen: the provider died (the
 * step took effect), the gateway noticed (first payment failed over away from it), it switched
 * (first such payment another provider answered successfully), the provider recovered (the step
 * was undone), the gateway switched back (first payment the provider answered itself again).
 * The others are context: what shoppers saw, what the control plane or a crash said, what the
 * step observed while it was on (told when it was undone, where its layer counts).
 */
export type StoryKind = 'died' | 'first-failure' | 'noticed' | 'switched' | 'last-failover' | 'recovered' | 'observed' | 'switched-back' | 'error' | 'crash' | 'unknown';

export interface StoryStep {
  readonly kind: StoryKind;
  /** Seconds since the run started; undefined for what never happened. */
  readonly atS: number | undefined;
  readonly what: string;
}

/** A scenario's `expect.failover` bound on this step, as the run judged it (results.assertions). */
export interface StoryJudgement {
  readonly figure: FailoverFigure;
  readonly assertion: AssertionResult;
}

/** One fault window told as a story: died → noticed → switched → recovered → switched back. */
export interface FaultStory {
  readonly fault: FaultRecord;
  readonly title: string;
  readonly steps: readonly StoryStep[];
  /** From the fault taking effect to the first failed answer through its target. */
  readonly firstFailureS?: number;
  /** Time to detect: from the fault taking effect to the first payment failed over away from its target. */
  readonly detectS?: number;
  /** From the fault taking effect to the first failed-over payment another provider answered successfully. */
  readonly switchS?: number;
  /** Time to switch back: from the fault being undone to the first payment its target answered itself. */
  readonly switchBackS?: number;
  /** The run's own judgement of this step's failover bounds, when the scenario set any. */
  readonly judged: readonly StoryJudgement[];
}

const r3 = (x: number): number => Math.round(x * 1000) / 1000;

/**
 * Each fault window's story, from results.faults (when the control plane acted) and, when
 * events.jsonl was there, what the shoppers saw. Client-layer faults (duplicate submits) change
 * what shoppers do, not what the gateway meets: they have no failover story.
 */
export function faultStories(results: Pick<Results, 'faults'> & Partial<Pick<Results, 'assertions' | 'crashes'>>, digest: EventsDigest | undefined): FaultStory[] {
  const crashes = crashesOf(results, digest);
  return results.faults
    .filter((f) => f.layer !== 'client')
    .map((f) => story(f, digest?.sightings.find((s) => s.faultId === f.id), digest, judgementsOf(f.id, results.assertions ?? []), crashes));
}

type Crash = { readonly part: string; readonly atS: number; readonly message: string };

/** results.crashes (the engine's record) and events.jsonl's crash lines, each crash once. */
function crashesOf(results: Partial<Pick<Results, 'crashes'>>, digest: EventsDigest | undefined): Crash[] {
  const all = [...(results.crashes ?? []), ...(digest?.crashes ?? [])];
  const seen = new Set<string>();
  return all.filter((c) => {
    const key = `${c.part}@${c.atS}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function judgementsOf(step: string, assertions: readonly AssertionResult[]): StoryJudgement[] {
  return assertions.flatMap((a) => {
    const named = parseFailoverAssertionName(a.name);
    return named && named.step === step ? [{ figure: named.figure, assertion: a }] : [];
  });
}

function story(f: FaultRecord, seen: FaultSighting | undefined, digest: EventsDigest | undefined, judged: StoryJudgement[], crashes: readonly Crash[]): FaultStory {
  const steps: StoryStep[] = [];
  const target = f.target;
  const at = (ms: number): number => r3(ms / 1000);
  steps.push({ kind: 'died', atS: f.startS, what: `${target} died: ${f.type} (${f.layer}) took effect${f.plannedAtS !== f.startS ? ` — planned at ${f.plannedAtS} s` : ''}` });
  if (f.error) steps.push({ kind: 'error', atS: f.startS, what: `the control plane reported an error: ${f.error}` });
  steps.push({ kind: 'recovered', atS: f.endS, what: `${target} recovered: ${f.type} undone${f.endS === f.startS ? ' (it never took effect for any time)' : ''}` });
  const o = observationOf(f);
  if (o.kind !== 'not-counted') steps.push({ kind: 'observed', atS: f.endS, what: `while it was on, ${target} acted on it: ${observedCountsText(o)}${o.kind === 'hit-nothing' ? ` — ${HIT_NOTHING}` : ''}` });
  for (const c of crashes) {
    if (c.atS >= f.startS && c.atS <= f.endS + 5) steps.push({ kind: 'crash', atS: c.atS, what: `${c.part} crashed: ${c.message}` });
  }
  const figures: { firstFailureS?: number; detectS?: number; switchS?: number; switchBackS?: number } = {};
  if (!digest) {
    steps.push({ kind: 'unknown', atS: undefined, what: 'events.jsonl was not available: what the shoppers saw is unknown, only the window is' });
  } else {
    const through = seen?.providers.length ? seen.providers.join(', ') : target;
    if (seen?.firstFailureMs !== undefined) {
      figures.firstFailureS = r3(at(seen.firstFailureMs) - f.startS);
      steps.push({ kind: 'first-failure', atS: at(seen.firstFailureMs), what: `first failed answer through ${through} (${figures.firstFailureS} s after it died)` });
    } else steps.push({ kind: 'first-failure', atS: undefined, what: `no failed answer through ${through} at or after the fault took effect` });
    if (seen?.firstFailoverMs !== undefined) {
      figures.detectS = r3(at(seen.firstFailoverMs) - f.startS);
      steps.push({ kind: 'noticed', atS: at(seen.firstFailoverMs), what: `the gateway noticed: first payment failed over away from ${target} (time to detect ${figures.detectS} s)` });
      steps.push({ kind: 'last-failover', atS: at(seen.lastFailoverMs!), what: `last payment failed over away from ${target}` });
    } else steps.push({ kind: 'noticed', atS: undefined, what: `no payment was failed over away from ${target} (the gateway did not report switching)` });
    if (seen?.firstServedElsewhereMs !== undefined) {
      figures.switchS = r3(at(seen.firstServedElsewhereMs) - f.startS);
      steps.push({ kind: 'switched', atS: at(seen.firstServedElsewhereMs), what: `the gateway switched: first failed-over payment another provider answered successfully (${figures.switchS} s after it died)` });
    } else if (seen?.firstFailoverMs !== undefined) steps.push({ kind: 'switched', atS: undefined, what: 'no failed-over payment succeeded elsewhere' });
    if (seen?.firstServedAgainMs !== undefined) {
      figures.switchBackS = r3(at(seen.firstServedAgainMs) - f.endS);
      steps.push({ kind: 'switched-back', atS: at(seen.firstServedAgainMs), what: `the gateway switched back: first payment ${target} answered itself again (time to switch back ${figures.switchBackS} s)` });
    } else if (f.endS > f.startS) steps.push({ kind: 'switched-back', atS: undefined, what: `${target} answered no payment itself after it recovered` });
  }
  steps.sort((a, b) => (a.atS ?? Infinity) - (b.atS ?? Infinity));
  return { fault: f, title: `${f.id}: ${f.type} on ${target}, ${f.startS}–${f.endS} s`, steps, ...figures, judged };
}
