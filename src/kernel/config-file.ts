import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import { paychaosError, type ErrorCode } from './errors.js';

/**
 * Read a configuration file as YAML — which includes JSON, so a `.json` and a `.yaml` file with
 * the same content are the same config. An unreadable file or a syntax error (with the line and
 * column YAML reports) is the caller's coded error, naming the file; validating the content is
 * the caller's job.
 */
export async function readConfigFile(path: string, code: ErrorCode, what: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw paychaosError(code, `cannot read ${what} ${path}: ${(err as Error).message}`, { path }, { cause: err });
  }
  let document: unknown;
  try {
    document = parseYaml(text, { prettyErrors: true });
  } catch (err) {
    throw paychaosError(code, `${what} ${path} is not valid YAML or JSON: ${(err as Error).message}`, { path }, { cause: err });
  }
  // One rule for every config file: an empty one is refused, never read as "all defaults" —
  // a file that was meant to say something (a truncated write, the wrong path) must not pass
  // silently. `{}` says "all defaults" on purpose.
  if (document === null || document === undefined) {
    throw paychaosError(code, `${what} ${path} is empty: write its fields, or \`{}\` to take every default on purpose`, { path, reason: 'empty' });
  }
  return document;
}
