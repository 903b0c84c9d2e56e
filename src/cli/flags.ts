import { InvalidArgumentError } from 'commander';
import { isPrometheusDuration } from '../analysis/index.js';
import { paychaosError, parseDurationMs, type ErrorCode } from '../kernel/index.js';

/**
 * Flag value parsers. They throw commander's InvalidArgumentError, which commander turns into
 * "option '--duration <d>' argument 'banana' is invalid. …" — a message that names the flag;
 * run.ts gives it its code through `codeOfBadFlagValue` (a duration, a number, a log level, or
 * any other flag) and exit code 2.
 */
const EXPECTED = {
  duration: 'Expected a positive duration like 30s, 500ms, 2m or 1m30s.',
  durationOrZero: 'Expected a duration like 2s or 500ms, or 0 for none.',
  prometheusDuration: 'Expected a Prometheus duration like 10m, 1h or 1h30m.',
  number: 'Expected a positive number.',
  integer: 'Expected a positive integer.',
  seed: 'Expected a whole number between 0 and 4294967295.',
  logLevel: 'Expected a log level: fatal, error, warn, info, debug, trace or silent.',
} as const;

/**
 * Commander keeps only the message of a parser's error, so the code is read back from the
 * "Expected …" sentence each parser ends it with (these sentences are this file's own).
 */
export function codeOfBadFlagValue(message: string): ErrorCode {
  if (message.endsWith(EXPECTED.duration) || message.endsWith(EXPECTED.durationOrZero) || message.endsWith(EXPECTED.prometheusDuration)) return 'PAYCHAOS_ERR_CLI_BAD_DURATION';
  if (message.endsWith(EXPECTED.number) || message.endsWith(EXPECTED.integer) || message.endsWith(EXPECTED.seed)) return 'PAYCHAOS_ERR_CLI_BAD_NUMBER';
  if (message.endsWith(EXPECTED.logLevel)) return 'PAYCHAOS_ERR_LOG_BAD_LEVEL';
  return 'PAYCHAOS_ERR_CLI_BAD_FLAG';
}

export function durationFlag(value: string): number {
  const ms = parseDurationMs(value);
  if (ms === undefined || !(ms > 0)) throw new InvalidArgumentError(EXPECTED.duration);
  return ms;
}

/** A duration that may be 0 (a phase turned off, e.g. --warmup 0). */
export function durationOrZeroFlag(value: string): number {
  const ms = parseDurationMs(value);
  if (ms === undefined || !(ms >= 0)) throw new InvalidArgumentError(EXPECTED.durationOrZero);
  return ms;
}

export function positiveNumberFlag(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n <= 0) throw new InvalidArgumentError(EXPECTED.number);
  return n;
}

export function positiveIntegerFlag(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n <= 0) throw new InvalidArgumentError(EXPECTED.integer);
  return n;
}

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** `--log-level`: a pino level (servers log through the kernel's redacting logger at it). */
export function logLevelFlag(value: string): LogLevel {
  if (!(LOG_LEVELS as readonly string[]).includes(value)) throw new InvalidArgumentError(EXPECTED.logLevel);
  return value as LogLevel;
}

/**
 * The level the servers log at: the flag, else PAYCHAOS_LOG_LEVEL, else info. A bad value in the
 * environment is refused before anything starts, naming the variable and the flag.
 */
export function logLevelOf(flag: LogLevel | undefined): LogLevel {
  if (flag !== undefined) return flag;
  const env = process.env.PAYCHAOS_LOG_LEVEL;
  if (env === undefined || env === '') return 'info';
  if (!(LOG_LEVELS as readonly string[]).includes(env)) {
    throw paychaosError('PAYCHAOS_ERR_LOG_BAD_LEVEL', `PAYCHAOS_LOG_LEVEL="${env}" is not a log level (${LOG_LEVELS.join(', ')}); fix it, unset it, or give --log-level`, { field: 'PAYCHAOS_LOG_LEVEL', value: env });
  }
  return env as LogLevel;
}

export function portFlag(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || n > 65535) throw new InvalidArgumentError('Expected a port number between 0 and 65535 (0 picks a free port).');
  return n;
}


/** A seed: any 32-bit unsigned whole number, 0 included (what the simulators and the traffic model take). */
export function seedFlag(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || n > 0xffffffff) throw new InvalidArgumentError(EXPECTED.seed);
  return n;
}

/** An http:// or https:// URL (a server to talk to, e.g. --prometheus); kept as given. */
export function httpUrlFlag(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InvalidArgumentError('Expected an http:// or https:// URL, e.g. http://prometheus:9090.');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new InvalidArgumentError(`Expected an http:// or https:// URL, not ${url.protocol}//.`);
  return value;
}

/** A Prometheus duration (units largest first: 10m, 1h30m, 500ms), as PromQL's range selectors take it. */
export function prometheusDurationFlag(value: string): string {
  if (!isPrometheusDuration(value)) throw new InvalidArgumentError(EXPECTED.prometheusDuration);
  return value;
}

/** A non-empty text value (an empty one would silently mean "the default"). */
export function nonEmptyFlag(value: string): string {
  if (value === '') throw new InvalidArgumentError('Expected a non-empty value.');
  return value;
}

/**
 * A share strictly between 0 and 1 (a canary's share of the shoppers): at 0 or 1 one side gets
 * no traffic, so there is nothing to compare and a run would end inconclusive after all its work.
 */
export function splitFractionFlag(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n <= 0 || n >= 1) {
    throw new InvalidArgumentError('Expected a share strictly between 0 and 1, e.g. 0.1: at 0 or 1 one side gets no shoppers and there is nothing to compare.');
  }
  return n;
}
