import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../../..');

/**
 * tsc -p tsconfig.k6.json, in-process: the k6 scripts and load/lib against @types/k6 only —
 * the newest API (tsconfig.k6.json), or k6 v0.48's, the oldest the scripts promise to run on
 * (tsconfig.k6-0.48.json).
 */
function diagnostics(extraRoots: string[] = [], config = 'tsconfig.k6.json'): ts.Diagnostic[] {
  const configPath = join(ROOT, config);
  const parsed = ts.getParsedCommandLineOfConfigFile(configPath, {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d) => { throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n')); } });
  if (!parsed) throw new Error('tsconfig.k6.json did not parse');
  const program = ts.createProgram({ rootNames: [...parsed.fileNames, ...extraRoots], options: parsed.options });
  return [...ts.getPreEmitDiagnostics(program)];
}

function format(ds: readonly ts.Diagnostic[]): string {
  return ts.formatDiagnostics(ds, { getCanonicalFileName: (f) => f, getCurrentDirectory: () => ROOT, getNewLine: () => '\n' });
}

describe('the k6 scripts', () => {
  it('type-check against @types/k6 with zero diagnostics', () => {
    const ds = diagnostics();
    expect(format(ds)).toBe('');
  }, 60_000);

  it('keep to the API k6 v0.48 already had: zero diagnostics against @types/k6 0.48.0', () => {
    expect(format(diagnostics([], 'tsconfig.k6-0.48.json'))).toBe('');
  }, 60_000);

  it('are really checked against v0.48: a script using a newer module fails that check only', () => {
    const newer = join(import.meta.dirname, 'fixtures/newer-than-0.48.js');
    const of = (config: string) => diagnostics([newer], config).filter((d) => d.file?.fileName === newer);
    expect(format(of('tsconfig.k6.json'))).toBe('');
    expect(of('tsconfig.k6-0.48.json').map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n')).join('\n')).toMatch(/Module '"k6\/browser"' has no exported member 'browser'/);
  }, 60_000);

  it('are really checked: a script misusing the k6 API fails the same check', () => {
    const bad = join(import.meta.dirname, 'fixtures/misuses-k6-api.js');
    const lines = diagnostics([bad])
      .filter((d) => d.file?.fileName === bad)
      .map((d) => d.file!.getLineAndCharacterOfPosition(d.start!).line + 1);
    expect(lines).toEqual([9, 10, 11, 12]);
  }, 60_000);
});
