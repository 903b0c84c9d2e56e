import { access, constants } from 'node:fs/promises';
import type { PaymentEvent } from '../../analysis/index.js';
import { paychaosError } from '../../kernel/index.js';
import { K6EventMapper, type K6RunStats } from './k6-events.js';
import { readK6Output } from './read-k6-output.js';

/**
 * Every input of `paychaos ingest k6` is checked before anything is written, so a typo in a path
 * leaves no empty output directory behind.
 */
export async function checkK6Inputs(paths: readonly string[]): Promise<void> {
  for (const path of paths) {
    await access(path, constants.R_OK).catch((err: NodeJS.ErrnoException) => {
      throw paychaosError('PAYCHAOS_ERR_K6_BAD_OUTPUT', `cannot read k6 output ${path}: ${err.code ?? err.message}`, { path });
    });
  }
}

export interface K6RunRead {
  stats: K6RunStats;
  lines: number;
}

/**
 * A finished k6 run's output (one machine, or k6-operator's N pods) as payment events, handed to
 * `onEvent` one at a time — the run engine's recorder, which writes results (src/run):
 *
 *   out.json ──line──► parseK6Line ──► K6EventMapper ──event──► onEvent
 *
 * Output with no payment request in it is bad input: the wrong file, or a script that does not
 * record payments.
 */
export async function readK6Run(paths: readonly string[], onEvent: (event: PaymentEvent) => void): Promise<K6RunRead> {
  const mapper = new K6EventMapper();
  const lines = await readK6Output(paths, (record) => {
    const event = mapper.accept(record);
    if (event) onEvent(event);
  });
  const stats = mapper.stats();
  if (stats.payments === 0) {
    throw paychaosError(
      'PAYCHAOS_ERR_K6_BAD_OUTPUT',
      `${paths.join(', ')}: no payment requests in ${lines} lines (expected paychaos_client_duration samples from load/*.js, or http_req_duration samples of POST …/payments)`,
      { paths, lines },
    );
  }
  return { stats, lines };
}
