import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ERRORS, EXIT, PaychaosError, isPaychaosError, paychaosError, type ErrorCode } from '../../src/kernel/index.js';

const doc = readFileSync(new URL('../../docs/errors.md', import.meta.url), 'utf8');

/** Rows of the "Codes" table: | `CODE` | exit | HTTP | … */
const documented = new Map<string, { exit: number; status: number | undefined }>();
for (const line of doc.split('\n')) {
  // Every row states both: an exit code, and an HTTP status or — (never answered over HTTP).
  const m = /^\|\s*`(PAYCHAOS_ERR_[A-Z0-9_]+)`\s*\|\s*(\d+)\s*\|\s*(\d+|—)\s*\|/.exec(line);
  if (m) documented.set(m[1]!, { exit: Number(m[2]), status: m[3] === '—' ? undefined : Number(m[3]) });
}

describe('error registry', () => {
  it('documents every registered code with its exit code and HTTP status', () => {
    for (const [code, spec] of Object.entries(ERRORS)) {
      expect(documented.get(code), `${code} is missing from docs/errors.md`).toEqual({
        exit: spec.exitCode,
        status: 'status' in spec ? spec.status : undefined,
      });
    }
  });

  it('registers every documented code', () => {
    for (const code of documented.keys()) expect(Object.keys(ERRORS)).toContain(code);
  });

  it('names every code PAYCHAOS_ERR_<AREA>_<WHAT> with a hint and a public exit code', () => {
    const exits = new Set<number>(Object.values(EXIT));
    for (const [code, spec] of Object.entries(ERRORS)) {
      expect(code).toMatch(/^PAYCHAOS_ERR_[A-Z0-9]+_[A-Z0-9_]+$/);
      expect(spec.hint.length).toBeGreaterThan(10);
      expect(exits.has(spec.exitCode)).toBe(true);
    }
  });

  it('documents every exit code', () => {
    for (const exit of Object.values(EXIT)) expect(doc).toMatch(new RegExp(`^\\| ${exit} \\|`, 'm'));
  });

  it('builds errors that carry code, exit code, hint and details, and are matched by code', () => {
    const err = paychaosError('PAYCHAOS_ERR_CLI_BAD_NUMBER', '--rate: expected a positive number, got "-5"', { flag: '--rate' });
    expect(err).toBeInstanceOf(PaychaosError);
    expect(err).toBeInstanceOf(Error);
    expect(err.code).toBe('PAYCHAOS_ERR_CLI_BAD_NUMBER');
    expect(err.exitCode).toBe(2);
    expect(err.hint).toBe(ERRORS.PAYCHAOS_ERR_CLI_BAD_NUMBER.hint);
    expect(err.details).toEqual({ flag: '--rate' });
    expect(isPaychaosError(err, 'PAYCHAOS_ERR_CLI_BAD_NUMBER')).toBe(true);
    expect(isPaychaosError(err, 'PAYCHAOS_ERR_HARNESS_BUG' as ErrorCode)).toBe(false);
    expect(isPaychaosError(new Error('x'))).toBe(false);
    expect(err.toJSON()).toMatchObject({ code: 'PAYCHAOS_ERR_CLI_BAD_NUMBER', details: { flag: '--rate' } });
  });

  it('freezes the registry so no code can be changed at run time', () => {
    expect(Object.isFrozen(ERRORS)).toBe(true);
  });
});
