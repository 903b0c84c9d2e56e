import { InvalidArgumentError } from 'commander';
import { isPrometheusDuration } from '../analysis/index.js';
import { parseDurationMs } from '../kernel/index.js';

/**
 * Flag value parsers. They throw commander's InvalidArgumentError, which commander turns into
 * "option '--duration <d>' argument 'banana' is invalid. …" — a message that names the flag;
 * run.ts maps it to PAYCHAOS_ERR_CLI_BAD_FLAG and exit code 2.
 */
export function durationFlag(value: string): number {
  const ms = parseDurationMs(value);
  if (ms === undefined || !(ms > 0)) throw new InvalidArgumentError('Expected a positive duration like 30s, 500ms, 2m or 1m30s.');
  return ms;
}

export function positiveNumberFlag(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('Expected a positive number.');
  return n;
}

export function positiveIntegerFlag(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n <= 0) throw new InvalidArgumentError('Expected a positive integer.');
  return n;
}

export function portFlag(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || n > 65535) throw new InvalidArgumentError('Expected a port number between 0 and 65535 (0 picks a free port).');
  return n;
}


/** A seed: any 32-bit unsigned whole number, 0 included (what the simulators and the traffic model take). */
export function seedFlag(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || n > 0xffffffff) throw new InvalidArgumentError('Expected a whole number between 0 and 4294967295.');
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
  if (!isPrometheusDuration(value)) throw new InvalidArgumentError('Expected a Prometheus duration like 10m, 1h or 1h30m.');
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
