import type { z } from 'zod';
import { paychaosError, type ErrorCode, type PaychaosError } from './errors.js';

/**
 * Strict validation, written once. Every config paychaos reads (fault steps, behaviour profiles,
 * canary and judge configs, scenarios) is validated by a zod schema that rejects unknown keys,
 * reports every problem at once with its path as the user finds it in their file
 * (`timeline[2].for`), and yields a frozen value so nothing downstream can change it.
 */

export interface Problem {
  /** `metrics[2].tolerancePp`; `(root)` for the document itself. */
  readonly path: string;
  readonly message: string;
}

/** `metrics[2].tolerancePp`, the way a user finds it in their file. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out === '' ? String(p) : `.${String(p)}`;
  return out === '' ? '(root)' : out;
}

/** Freeze a parsed value and everything in it. */
export function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

/** What a zod issue means, in words: unknown keys are named, since they are the commonest slip. */
export function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys') return `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
  return issue.message;
}

/** Every problem of a failed parse, each with its path under `prefix` (a list of path parts). */
export function problemsOf(error: z.ZodError, prefix: readonly PropertyKey[] = []): Problem[] {
  return error.issues.flatMap((i) => issueProblems(i, prefix));
}

/**
 * One issue's problems. A union that failed says only "Invalid input" at its own path; when
 * exactly one of its options got past the input's shape (its issues lie deeper than the union —
 * `mix: [{…}]` is an array of entries, not a preset name), that option's issues are what the user
 * got wrong, each with its own path (`load.mix[0].split.destination`).
 */
function issueProblems(issue: z.core.$ZodIssue, prefix: readonly PropertyKey[]): Problem[] {
  if (issue.code === 'invalid_union' && issue.errors.length > 0) {
    const deeper = issue.errors.filter((branch) => branch.length > 0 && branch.every((i) => i.path.length > 0));
    if (deeper.length === 1) return deeper[0]!.flatMap((i) => issueProblems(i, [...prefix, ...issue.path]));
  }
  return [{ path: formatPath([...prefix, ...issue.path]), message: describeIssue(issue) }];
}

export type Validated<T> = { ok: true; value: T } | { ok: false; problems: Problem[] };

/** Parse with a schema; a frozen value, or every problem with its path. */
export function validate<S extends z.ZodType>(schema: S, input: unknown, prefix: readonly PropertyKey[] = []): Validated<Readonly<z.output<S>>> {
  const result = schema.safeParse(input);
  if (result.success) return { ok: true, value: deepFreeze(result.data) as Readonly<z.output<S>> };
  return { ok: false, problems: problemsOf(result.error, prefix) };
}

/**
 * Parse with a schema or throw `code` listing every problem (`what` names the input in the
 * message: `judge config judge.yaml`). The error's details carry the problems and their paths
 * for callers and tests to match on.
 */
export function parseStrict<S extends z.ZodType>(schema: S, input: unknown, code: ErrorCode, what: string, prefix: readonly PropertyKey[] = []): Readonly<z.output<S>> {
  const result = validate(schema, input, prefix);
  if (result.ok) return result.value;
  throw invalid(code, what, result.problems);
}

/** The coded error for a list of problems: one line each in the message, all of them in the details. */
export function invalid(code: ErrorCode, what: string, problems: readonly Problem[]): PaychaosError {
  const lines = problems.map((p) => `${p.path}: ${p.message}`);
  return paychaosError(code, `${what} is invalid:\n  ${lines.join('\n  ')}`, { problems: lines, fields: problems.map((p) => p.path) });
}
