import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { loadScenarios, runSuite } from '../../src/scenario/index.js';

/** The shipped scenarios/ folder. */
export const SCENARIOS = join(import.meta.dirname, '../../scenarios');

/** A shipped scenario file's path, unchanged. */
export const shippedScenario = (file: string): string => join(SCENARIOS, file);

type Doc = Record<string, unknown> & { stack?: Record<string, unknown> & { gateway?: Record<string, unknown> }; timeline?: unknown[] };

/**
 * A shipped scenario with one part changed by `edit`, written under the same file name into a
 * fresh temporary directory: a negative control runs the check itself, changed only where it says.
 */
export async function editedScenario(file: string, edit: (doc: Doc) => void): Promise<string> {
  const doc = parse(await readFile(shippedScenario(file), 'utf8')) as Doc;
  edit(doc);
  const path = join(await mkdtemp(join(tmpdir(), 'paychaos-negative-')), file);
  await writeFile(path, stringify(doc));
  return path;
}

/** The shipped scenario against the reference gateway carrying `regression`; its routes and breaker stay as the scenario has them. */
export const withRegression = (file: string, regression: Record<string, unknown>): Promise<string> =>
  editedScenario(file, (doc) => void (doc.stack = { ...(doc.stack ?? {}), gateway: { ...(doc.stack?.gateway ?? {}), regression } }));

/** The shipped scenario with one part of its stack changed (a canary's regression, a timeout). */
export const withStack = (file: string, patch: (stack: Record<string, unknown>) => Record<string, unknown>): Promise<string> =>
  editedScenario(file, (doc) => void (doc.stack = patch(doc.stack ?? {})));

/** The shipped scenario with one fault step added to its timeline. */
export const withStep = (file: string, step: Record<string, unknown>): Promise<string> => editedScenario(file, (doc) => void (doc.timeline = [...(doc.timeline ?? []), step]));

/** One scenario file run as a suite of one, into a fresh output directory. */
export const runOne = async (path: string): Promise<Awaited<ReturnType<typeof runSuite>>> =>
  runSuite(await loadScenarios([path]), { paychaosVersion: '0.0.0-test', outDir: await mkdtemp(join(tmpdir(), 'paychaos-negative-out-')) });
