import { z } from 'zod';
import { formatPath, invalid, parseStrict, type Problem } from '../../kernel/index.js';
import { duration, type FaultContext, type FaultLayer } from './fault-step.js';
import { FAULT_STEPS } from './registry.js';

/**
 * A timeline: fault steps of any layer, each `{ id?, at, for?, target, type, ...params }`
 * (DESIGN.md "Fault layers"). `at` and `for` are k6-style durations from the timeline's start
 * (`"10s"`, `"1m30s"`; a bare number is seconds). Validated once, strictly: unknown keys and
 * types are refused, and every problem is reported at once with its path (`timeline[2].for`).
 */
export interface TimelineStep {
  /** Position in the timeline, for paths in messages. */
  readonly index: number;
  /** As given, or `<type>-<index>`; unique in the timeline; names the step's toxics and layers. */
  readonly id: string;
  readonly type: string;
  readonly layer: FaultLayer;
  readonly target: string;
  readonly atMs: number;
  /** Undefined: in effect until the timeline stops. */
  readonly forMs?: number;
  /** The step's own parameters, defaults filled in. */
  readonly params: Readonly<Record<string, unknown>>;
}

const envelope = {
  id: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'expected 1–64 letters, digits, _ . or -').optional(),
  at: duration,
  for: duration.refine((ms) => ms > 0, 'expected a duration longer than 0').optional(),
  target: z.string().min(1, 'give the name of what the step acts on (a proxy, a simulator, shoppers, a process)'),
};

/** Built from the registry: one strict object per step type, discriminated by `type`. */
export const timelineStepSchema = z.discriminatedUnion(
  'type',
  [...FAULT_STEPS.values()].map((s) => s.schema.safeExtend({ type: z.literal(s.type), ...envelope })) as unknown as [z.ZodObject, ...z.ZodObject[]],
  { error: (issue) => (issue.code === 'invalid_union' ? `unknown step type; expected one of ${[...FAULT_STEPS.keys()].join(', ')}` : undefined) },
);

export const timelineSchema = z.array(timelineStepSchema).superRefine((steps, ctx) => {
  const seen = new Map<string, number>();
  steps.forEach((s, i) => {
    const id = idOf(s as { id?: string; type: string }, i);
    const first = seen.get(id);
    if (first !== undefined) ctx.addIssue({ code: 'custom', path: [i, 'id'], message: `"${id}" is the id of step ${first} too; ids must be unique` });
    else seen.set(id, i);
  });
});

const idOf = (s: { id?: string; type: string }, index: number) => s.id ?? `${s.type}-${index}`;

/** Validate a timeline; a frozen list of steps, or PAYCHAOS_ERR_CHAOS_BAD_TIMELINE with every problem. */
export function parseTimeline(input: unknown, where: readonly PropertyKey[] = ['timeline']): readonly TimelineStep[] {
  const parsed = parseStrict(timelineSchema, input, 'PAYCHAOS_ERR_CHAOS_BAD_TIMELINE', 'the timeline', where);
  return Object.freeze(
    parsed.map((raw, index): TimelineStep => {
      const { id, at, for: forMs, target, type, ...params } = raw as Record<string, unknown> & { id?: string; at: number; for?: number; target: string; type: string };
      return Object.freeze({
        index,
        id: idOf({ ...(id !== undefined ? { id } : {}), type }, index),
        type,
        layer: FAULT_STEPS.get(type)!.layer,
        target,
        atMs: at,
        ...(forMs !== undefined ? { forMs } : {}),
        params: Object.freeze(params),
      });
    }),
  );
}

/**
 * Before the run: can every step's target take it (a proxy exists, a simulator answers, a
 * process is a child)? Every refusal at once, as PAYCHAOS_ERR_CHAOS_UNKNOWN_TARGET naming
 * `timeline[i].target`.
 */
export async function checkTimeline(steps: readonly TimelineStep[], ctx: FaultContext, where: readonly PropertyKey[] = ['timeline']): Promise<void> {
  const problems: Problem[] = [];
  await Promise.all(
    steps.map(async (step) => {
      const why = await FAULT_STEPS.get(step.type)!
        .check(step.target, ctx)
        .catch((err: unknown) => (err instanceof Error ? err.message : String(err)));
      if (why) problems.push({ path: formatPath([...where, step.index, 'target']), message: why });
    }),
  );
  problems.sort((a, b) => a.path.localeCompare(b.path, 'en', { numeric: true }));
  if (problems.length) throw invalid('PAYCHAOS_ERR_CHAOS_UNKNOWN_TARGET', 'the timeline', problems);
}
