import { readFile } from 'node:fs/promises';
import { paychaosError, problemsOf } from '../kernel/index.js';
import { consistencyProblems } from './results-consistency.js';
import { SCHEMA_VERSION, resultsSchema, type Results } from './results-schema.js';

/** Read and validate a results.json; every schema problem is reported with its path. */
export async function readResults(path: string): Promise<Results> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw paychaosError('PAYCHAOS_ERR_RESULTS_NOT_FOUND', `${path} not found: no such results file`, { path }, { cause: err });
    throw paychaosError('PAYCHAOS_ERR_RESULTS_INVALID', `cannot read ${path}: ${(err as Error).message}`, { path });
  }
  return parseResults(text, path);
}

export function parseResults(text: string, source = 'results'): Results {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw paychaosError('PAYCHAOS_ERR_RESULTS_INVALID', `${source} is not JSON: ${(err as Error).message}`, { path: source });
  }
  checkSchemaVersion(json, source);
  const parsed = resultsSchema.safeParse(json);
  if (!parsed.success) {
    const problems = problemsOf(parsed.error).map((p) => `${p.path}: ${p.message}`);
    throw paychaosError('PAYCHAOS_ERR_RESULTS_INVALID', `${source} is not a valid results file:\n  ${problems.join('\n  ')}`, { path: source, problems });
  }
  const problems = consistencyProblems(parsed.data);
  if (problems.length > 0) {
    throw paychaosError('PAYCHAOS_ERR_RESULTS_INVALID', `${source} contradicts itself:\n  ${problems.join('\n  ')}`, { path: source, problems });
  }
  return parsed.data;
}

/** The schema versions this paychaos reads (docs/results.md); one today. */
export const READABLE_SCHEMA_VERSIONS: readonly number[] = [SCHEMA_VERSION];

/**
 * A results file of another schema version is named as such, before its fields are checked:
 * the dozens of field problems a newer or older layout would raise hide the one that matters.
 * A file with no numeric schemaVersion is not a results file at all (RESULTS_INVALID, below).
 */
function checkSchemaVersion(json: unknown, source: string): void {
  if (typeof json !== 'object' || json === null || !('schemaVersion' in json)) return;
  const version = (json as { schemaVersion: unknown }).schemaVersion;
  if (typeof version !== 'number' || READABLE_SCHEMA_VERSIONS.includes(version)) return;
  const age = version < SCHEMA_VERSION ? 'an older' : 'a newer';
  throw paychaosError(
    'PAYCHAOS_ERR_RESULTS_UNSUPPORTED_VERSION',
    `${source} has schemaVersion ${version} (${age} paychaos wrote it); this paychaos reads schemaVersion ${READABLE_SCHEMA_VERSIONS.join(', ')}`,
    { path: source, schemaVersion: version, readable: READABLE_SCHEMA_VERSIONS },
  );
}
