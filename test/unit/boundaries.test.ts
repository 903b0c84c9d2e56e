import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { dirname, join, normalize, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The architecture's arrows, enforced (DESIGN.md "Layout", README "Layout"):
 *
 *   cli ─► scenario ─► run ─► stack, chaos, load, telemetry, analysis, report, judge ─► kernel, conventions
 *   gateway/ and simulators/ ─► kernel, conventions only
 *
 * Every relative import of every TypeScript file under src/, gateway/ and simulators/ is read
 * and checked against these rules. A folder is a top-level area (src/<area>/, gateway/,
 * simulators/); areas reach each other only through the other's index.ts.
 */
const ROOT = join(import.meta.dirname, '../..');
const FILES = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', 'src', 'gateway', 'simulators'], { cwd: ROOT, encoding: 'utf8' })
  .split('\n')
  .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'));

interface Edge {
  readonly from: string;
  readonly to: string;
  readonly spec: string;
}

/** The area a repo path belongs to: `src/run`, `gateway`, `simulators`, `load/lib` … */
function areaOf(path: string): string {
  const parts = path.split('/');
  if (parts[0] === 'src') return parts.length > 2 ? `src/${parts[1]}` : 'src';
  if (parts[0] === 'load' && parts[1] === 'lib') return 'load/lib';
  return parts[0]!;
}

function edgesOf(file: string): Edge[] {
  const source = readFileSync(join(ROOT, file), 'utf8');
  const specs = [
    ...source.matchAll(/^\s*(?:import|export)\s[^'";]*?from\s+['"]([^'"]+)['"]/gm),
    ...source.matchAll(/^\s*import\s+['"]([^'"]+)['"]/gm),
    ...source.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g),
  ].map((m) => m[1]!);
  return specs.filter((s) => s.startsWith('.')).map((spec) => ({ from: file, spec, to: normalize(join(dirname(file), spec)).replace(/\.js$/, '.ts') }));
}

/**
 * Edges that the reshape (issue #10) is removing while its parts land; each goes with the change
 * that removes it, and then this list is empty again.
 */
const PENDING = new Set<string>([
]);
const PENDING_AREAS = new Set<string>([]);

const EDGES = FILES.flatMap(edgesOf).filter((e) => !PENDING.has(`${e.from} → ${e.spec}`) && !PENDING_AREAS.has(areaOf(e.from)));
const crossing = EDGES.filter((e) => areaOf(e.from) !== areaOf(e.to));
const show = (edges: readonly Edge[]) => edges.map((e) => `${e.from} → ${e.spec}`);

/** Which areas each area may import (besides itself). */
const SHARED = ['src/kernel', 'src/conventions'];
const ALLOWED: Readonly<Record<string, readonly string[]>> = {
  'src/kernel': ['load/lib'], // durations: the one parser k6 and the harness share (a leaf module)
  'src/conventions': ['src/kernel'],
  gateway: SHARED,
  simulators: SHARED,
  'src/analysis': SHARED,
  'src/report': [...SHARED, 'src/analysis'],
  'src/toxiproxy': SHARED,
  'src/chaos': [...SHARED, 'src/toxiproxy', 'src/load'],
  'src/load': [...SHARED, 'src/analysis', 'load/lib'],
  'src/telemetry': [...SHARED, 'src/analysis'],
  'src/judge': [...SHARED, 'src/analysis', 'src/report'],
  'src/stack': [...SHARED, 'simulators', 'gateway', 'src/chaos', 'src/toxiproxy'],
  'src/run': [...SHARED, 'src/stack', 'src/chaos', 'src/load', 'src/telemetry', 'src/analysis', 'src/report', 'src/judge', 'simulators'],
  'src/scenario': [...SHARED, 'src/run', 'src/stack', 'src/chaos', 'src/load', 'src/analysis', 'src/report', 'src/judge', 'simulators'],
  'src/cli': [...SHARED, 'src/scenario', 'src/run', 'src/stack', 'src/chaos', 'src/load', 'src/telemetry', 'src/analysis', 'src/report', 'src/judge', 'src/toxiproxy', 'simulators', 'gateway'],
};

describe('architecture boundaries', () => {
  it('knows every area it finds (a new folder must be placed in the rules)', () => {
    const unknown = [...new Set(FILES.map(areaOf))].filter((a) => !Object.hasOwn(ALLOWED, a) && !PENDING_AREAS.has(a));
    expect(unknown).toEqual([]);
  });

  it.each(Object.keys(ALLOWED))('%s imports only the areas it may', (area) => {
    const bad = crossing.filter((e) => areaOf(e.from) === area && !ALLOWED[area]!.includes(areaOf(e.to)));
    expect(show(bad)).toEqual([]);
  });

  it('areas reach each other only through index.ts (load/lib through its modules)', () => {
    const deep = crossing.filter((e) => {
      const to = areaOf(e.to);
      if (to === 'load/lib') return false; // plain JS shared with k6: its own files are its surface
      return relative(to, e.to) !== 'index.ts';
    });
    expect(show(deep)).toEqual([]);
  });

  it('only the stack knows how the gateway is started (and the `paychaos gateway` command runs one in the foreground)', () => {
    const starters = crossing.filter((e) => areaOf(e.to) === 'gateway' && !(areaOf(e.from) === 'src/stack' || e.from === 'src/cli/commands/gateway.ts'));
    expect(show(starters)).toEqual([]);
  });

  it('analysis stays pure: no network, files, processes or servers', () => {
    const impure = FILES.filter((f) => areaOf(f) === 'src/analysis').filter((f) =>
      /from\s+['"](node:(fs|net|http|https|child_process|dgram|worker_threads)(\/promises)?|undici|fastify|pino)['"]/.test(readFileSync(join(ROOT, f), 'utf8')),
    );
    expect(impure).toEqual([]);
  });

  it('the CLI is the only place that reads argv or exits the process', () => {
    const offenders = FILES.filter((f) => areaOf(f) !== 'src/cli' && !f.endsWith('/main.ts')).filter((f) => {
      const code = readFileSync(join(ROOT, f), 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');
      return /\bprocess\.(argv|exit\()/.test(code);
    });
    expect(offenders).toEqual([]);
  });
});
