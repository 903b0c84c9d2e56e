import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { paychaosError } from '../../kernel/index.js';
import type { FaultRecord } from '../results-schema.js';
import { EventsDigester, type EventsDigest } from './events-digest.js';

/**
 * Stream events.jsonl into a digest, a line at a time (a long run's file can be gigabytes).
 * No file is not an error — a results.json alone still renders — so it resolves undefined;
 * a file that exists but cannot be read is.
 */
export async function readEventsDigest(path: string, faults: readonly FaultRecord[]): Promise<EventsDigest | undefined> {
  const digester = new EventsDigester(faults);
  const stream = createReadStream(path, { encoding: 'utf8' });
  try {
    const lines = createInterface({ input: stream, crlfDelay: Infinity });
    for await (const line of lines) digester.line(line);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw paychaosError('PAYCHAOS_ERR_RESULTS_INVALID', `cannot read ${path}: ${(err as Error).message}`, { path }, { cause: err });
  } finally {
    stream.destroy();
  }
  return digester.digest();
}
