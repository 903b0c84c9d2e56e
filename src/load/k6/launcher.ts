import { spawn } from 'node:child_process';
import { rm } from 'node:fs/promises';
import type { PaymentEvent } from '../../analysis/index.js';
import { paychaosError } from '../../kernel/index.js';
import { findK6 } from './find-k6.js';
import { K6EventMapper, type K6RunStats } from './k6-events.js';
import { parseK6Line } from './k6-line.js';
import { NdjsonTail } from './ndjson-tail.js';

export interface K6RunOptions {
  /** The k6 script, e.g. load/payments.js. */
  script: string;
  /** Passed to the script as `-e NAME=value` (its __ENV). */
  env?: Readonly<Record<string, string>>;
  /** Where k6 writes `--out json`; paychaos follows it while k6 runs. Replaced if it exists. */
  outJson: string;
  /** `--tag name=value` on every sample (k6RunTags: the run's labels). */
  tags?: Readonly<Record<string, string>>;
  /** Extra `k6 run` arguments placed before the script (e.g. --summary-export F). */
  args?: readonly string[];
  /** The k6 binary; default: `k6` on PATH. */
  k6Path?: string;
  /** Environment of the k6 process and of the PATH lookup; default process.env. */
  processEnv?: NodeJS.ProcessEnv;
  /** Abort → k6 gets SIGINT, stops its executors and still writes its output and summary. */
  signal?: AbortSignal;
  /** How often the output file is read while k6 runs; default 200 ms. */
  pollMs?: number;
  /** Epoch ms that event times count from; default the first payment's start. */
  originMs?: number;
  /** k6's own stdout/stderr (progress, summary), as it comes. */
  onOutput?: (chunk: string, stream: 'stdout' | 'stderr') => void;
}

export interface K6RunOutcome {
  /** 0, or 99 when k6's thresholds failed (a result, not an error), or 105 after an abort. */
  exitCode: number;
  thresholdsFailed: boolean;
  interrupted: boolean;
  stats: K6RunStats;
  k6Path: string;
}

/** k6's documented exit codes that are outcomes rather than failures of k6 itself. */
const K6_THRESHOLDS_FAILED = 99;
const K6_EXTERNAL_ABORT = 105;
const OUTPUT_TAIL_CHARS = 4000;

/**
 * `--load k6`: spawn `k6 run --out json=FILE`, follow FILE as k6 appends to it, and hand each
 * payment to `onEvent` — the same PaymentEvents `paychaos ingest k6` makes, into the same
 * aggregator, so results do not depend on the engine.
 *
 *   k6 ──appends──► out.json ──NdjsonTail (poll)──► parseK6Line ──► K6EventMapper ──► onEvent
 *
 * No k6 on PATH → PAYCHAOS_ERR_K6_NOT_FOUND before anything starts. k6 failing on its own
 * (script error, bad options) → PAYCHAOS_ERR_K6_RUN_FAILED with the tail of its output.
 */
export async function runK6(options: K6RunOptions, onEvent: (event: PaymentEvent) => void): Promise<K6RunOutcome> {
  const processEnv = options.processEnv ?? process.env;
  const k6Path = await findK6(processEnv, options.k6Path);
  // A stale file from an earlier run would be read as this run's output before k6 replaces it.
  await rm(options.outJson, { force: true });

  const args = k6Argv(options, processEnv);

  const mapper = new K6EventMapper(options.originMs !== undefined ? { originMs: options.originMs } : {});
  const tail = new NdjsonTail(options.outJson);
  let line = 0;
  const consume = (text: string): void => {
    line++;
    const record = parseK6Line(text, { path: options.outJson, line });
    if (!record) return;
    const event = mapper.accept(record);
    if (event) onEvent(event);
  };

  let output = '';
  const child = spawn(k6Path, args, { env: processEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  const keep = (stream: 'stdout' | 'stderr') => (chunk: Buffer): void => {
    const text = chunk.toString('utf8');
    output = (output + text).slice(-OUTPUT_TAIL_CHARS);
    options.onOutput?.(text, stream);
  };
  child.stdout.on('data', keep('stdout'));
  child.stderr.on('data', keep('stderr'));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; error?: Error }>((resolve) => {
    child.once('error', (error) => resolve({ code: null, signal: null, error }));
    child.once('close', (code, signal) => resolve({ code, signal }));
  });
  let interrupted = false;
  const onAbort = (): void => {
    interrupted = true;
    child.kill('SIGINT');
  };
  if (options.signal?.aborted) onAbort();
  else options.signal?.addEventListener('abort', onAbort, { once: true });

  let done: Awaited<typeof exited> | undefined;
  void exited.then((d) => (done = d));
  try {
    while (!done) {
      for (const text of await tail.poll()) consume(text);
      await Promise.race([exited, sleep(options.pollMs ?? 200)]);
    }
    for (const text of await tail.poll()) consume(text);
    // k6 ends every line with a newline; a last line without one was cut short by the
    // interrupt, and is dropped rather than failing a run that was stopped on purpose.
    const rest = tail.rest();
    if (rest !== '' && !interrupted) consume(rest);
  } catch (err) {
    child.kill('SIGKILL');
    await exited;
    throw err;
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
    await tail.close();
  }

  const result = done;
  if (result.error) {
    throw paychaosError('PAYCHAOS_ERR_K6_NOT_FOUND', `could not start ${k6Path}: ${result.error.message}`, { path: k6Path }, { cause: result.error });
  }
  const exitCode = result.code ?? 128;
  const ok = exitCode === 0 || exitCode === K6_THRESHOLDS_FAILED || (interrupted && (exitCode === K6_EXTERNAL_ABORT || result.signal === 'SIGINT'));
  if (!ok) {
    throw paychaosError(
      'PAYCHAOS_ERR_K6_RUN_FAILED',
      `k6 exited with ${result.signal ? `signal ${result.signal}` : `code ${exitCode}`} running ${options.script}:\n${output.trim()}`,
      { exitCode, signal: result.signal, script: options.script },
    );
  }
  return { exitCode, thresholdsFailed: exitCode === K6_THRESHOLDS_FAILED, interrupted, stats: mapper.stats(), k6Path };
}

/**
 * The `k6 run` argv: our `--out json=FILE` (what paychaos follows), each K6_OUT output of the
 * environment as another `--out` — k6 drops K6_OUT when any `--out` is given on the command line,
 * so a user's `K6_OUT=experimental-prometheus-rw` would otherwise vanish — then `-e` per script
 * variable, `--tag` per run tag, the extra arguments, and the script.
 */
export function k6Argv(options: Pick<K6RunOptions, 'outJson' | 'env' | 'tags' | 'args' | 'script'>, processEnv: NodeJS.ProcessEnv = {}): string[] {
  const args = ['run', '--out', `json=${options.outJson}`];
  for (const out of (processEnv.K6_OUT ?? '').split(',').map((o) => o.trim()).filter((o) => o !== '')) args.push('--out', out);
  for (const [name, value] of Object.entries(options.env ?? {})) args.push('-e', `${name}=${value}`);
  for (const [name, value] of Object.entries(options.tags ?? {})) args.push('--tag', `${name}=${value}`);
  args.push(...(options.args ?? []), options.script);
  return args;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
