import { readFile } from 'node:fs/promises';
import { paychaosError } from '../kernel/index.js';
import { ApiError } from './api/api-error.js';
import { parseBody } from './api/body.js';
import { decodePopulate } from './api/proxy-handlers.js';
import type { ProxyInput } from './proxy-collection.js';

/**
 * The `--config` file of `paychaos proxy`: the same JSON array as toxiproxy-server's `-config`
 * and `POST /populate` (`[{"name","listen","upstream","enabled"?}]`), checked by the same code,
 * so a file that works with one works with the other.
 */
export function parseProxyConfig(text: string, source = 'config'): ProxyInput[] {
  try {
    return decodePopulate(parseBody(Buffer.from(text)));
  } catch (err) {
    if (err instanceof ApiError) throw paychaosError('PAYCHAOS_ERR_TOXIPROXY_BAD_CONFIG', `${source}: ${err.message}`, { file: source });
    throw err;
  }
}

export async function loadProxyConfig(path: string): Promise<ProxyInput[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw paychaosError('PAYCHAOS_ERR_TOXIPROXY_BAD_CONFIG', `--config ${path}: cannot be read (${e.code ?? e.message})`, { file: path }, { cause: err });
  }
  return parseProxyConfig(text, path);
}
