import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parse } from 'acorn';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../../..');
const LOAD = join(ROOT, 'load');

/**
 * k6 v0.48 (the oldest k6 load/README.md promises) hands every ES module to its bundled Babel 6,
 * whose parser knows ES2017 and nothing later: object spread, optional chaining and the rest
 * are `SyntaxError: … Unexpected token` at `k6 run`. Types are not syntax, so the @types/k6
 * check cannot see this; acorn at ecmaVersion 2017 can.
 */
const K6_048_ECMA = 2017 as const;

function parseAsK6048(source: string): void {
  parse(source, { ecmaVersion: K6_048_ECMA, sourceType: 'module', locations: true });
}

function scripts(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return scripts(path);
    return e.name.endsWith('.js') ? [path] : [];
  });
}

function problemOf(source: string): string {
  try {
    parseAsK6048(source);
    return '';
  } catch (err) {
    return (err as Error).message;
  }
}

describe('the language level of load/', () => {
  const files = scripts(LOAD);

  it('finds the k6 entry scripts and the shared model (the walk is not empty)', () => {
    const names = files.map((f) => relative(LOAD, f));
    expect(names).toEqual(expect.arrayContaining(['payments.js', 'singles-day.js', 'lib/traffic.js', 'lib/config.js']));
  });

  it.each(files.map((f) => [relative(ROOT, f), f]))('%s parses at ECMAScript 2017, what k6 v0.48 accepts', (_name, file) => {
    expect(problemOf(readFileSync(file, 'utf8'))).toBe('');
  });

  // Negative controls: each construct newer than ES2017 that a script could slip in is refused
  // by the same parse, at the position k6 v0.48 would report.
  it.each([
    ['object spread', 'const a = { x: 1 };\nexport const b = { ...a, y: 2 };', '(2:19)'],
    // traffic.js line 158 before the rewrite: k6 v0.48 said `Unexpected token (158:52)` for it.
    ['the line k6 v0.48 refused', "      for (let i = 1; i < clicks; i++) burst.push({ ...pay('double_click', key1, Math.round(random() * dc.spreadMs)), concurrent: true });", '(1:52)'],
    ['object rest in destructuring', 'const { x, ...others } = { x: 1, y: 2 };', '(1:11)'],
    ['optional chaining', 'const a = {};\nexport const b = a?.x;', '(2:19)'],
    ['nullish coalescing', 'const a = null;\nexport const b = a ?? 1;', '(2:20)'],
    ['for await', 'async function f(xs) { for await (const x of xs) { void x; } }', '(1:27)'],
    ['optional catch binding', 'try { void 0; } catch { void 0; }', '(1:22)'],
    ['class fields', 'class A { x = 1; }', '(1:12)'],
    ['numeric separators', 'export const n = 1_000;', '(1:18)'],
  ])('refuses %s', (_what, source, at) => {
    const problem = problemOf(source);
    expect(problem).not.toBe('');
    expect(problem).toContain(at);
  });

  it('accepts what ES2017 has, so the guard is not simply refusing modern code', () => {
    const modern = [
      'import { a } from "./a.js";',
      'export async function f(x = 1, ...rest) { const [p, q] = rest; return `${x ** 2}${p}${q}${await a}`; }',
      'export const o = Object.assign({}, { k: 1 }, { v: 2 });',
      'export class B { static of() { return new B(); } }',
    ].join('\n');
    expect(problemOf(modern)).toBe('');
  });
});
