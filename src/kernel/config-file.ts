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
  try {
    return parseYaml(text, { prettyErrors: true });
  } catch (err) {
    throw paychaosError(code, `${what} ${path} is not valid YAML or JSON: ${(err as Error).message}`, { path }, { cause: err });
  }
}
