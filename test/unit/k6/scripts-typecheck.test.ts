import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../../..');

/** tsc -p tsconfig.k6.json, in-process: the k6 scripts and load/lib against @types/k6 only. */
function diagnostics(extraRoots: string[] = []): ts.Diagnostic[] {
  const configPath = join(ROOT, 'tsconfig.k6.json');
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

  it('are really checked: a script misusing the k6 API fails the same check', () => {
    const bad = join(import.meta.dirname, 'fixtures/misuses-k6-api.js');
    const lines = diagnostics([bad])
      .filter((d) => d.file?.fileName === bad)
      .map((d) => d.file!.getLineAndCharacterOfPosition(d.start!).line + 1);
    expect(lines).toEqual([9, 10, 11, 12]);
  }, 60_000);
});
