import { readFile } from 'node:fs/promises';
import { paychaosError, problemsOf } from '../kernel/index.js';
import { consistencyProblems } from './results-consistency.js';
import { resultsSchema, type Results } from './results-schema.js';

/** Read and validate a results.json; every schema problem is reported with its path. */
export async function readResults(path: string): Promise<Results> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
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
