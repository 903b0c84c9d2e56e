import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The README's "Layout" block matches the tree (issue #10 item 7): every path it names exists,
 * every top-level folder of the repository and every folder of src/ is named. A folder added
 * without a line there, or a line left after its folder went, fails here.
 */
const ROOT = join(import.meta.dirname, '../..');
const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
const block = /## Layout\s+```\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';

/** The paths the block names: a top-level entry at column 0, and src/'s entries indented under it. */
function namedPaths(text: string): string[] {
  const out: string[] = [];
  let parent = '';
  for (const line of text.split('\n')) {
    const m = /^( *)(\S+)/.exec(line);
    if (!m || (m[1]!.length > 0 && m[1]!.length !== 2)) continue;
    const entry = m[2]!.replace(/\/$/, '');
    if (m[1]!.length === 0) {
      parent = entry;
      out.push(entry);
    } else if (parent === 'src' && /^[a-z]+\/$/.test(m[2]!)) out.push(`src/${entry}`);
  }
  return out;
}

describe('README "Layout"', () => {
  const named = namedPaths(block);
  const tracked = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard'], { cwd: ROOT, encoding: 'utf8' }).split('\n').filter(Boolean);

  it('is found and names something', () => {
    expect(named.length).toBeGreaterThan(10);
  });

  it('names only paths that exist', () => {
    expect(named.filter((p) => !existsSync(join(ROOT, p)))).toEqual([]);
  });

  it('names every top-level folder of the repository', () => {
    const folders = [...new Set(tracked.filter((f) => f.includes('/')).map((f) => f.split('/')[0]!))].filter((f) => f !== '.ci' || !named.includes('.ci/run'));
    expect(folders.filter((f) => !named.includes(f))).toEqual([]);
  });

  it('names every folder of src/', () => {
    const areas = [...new Set(tracked.filter((f) => /^src\/[^/]+\//.test(f)).map((f) => f.split('/').slice(0, 2).join('/')))];
    expect(areas.filter((a) => !named.includes(a))).toEqual([]);
  });

  it('the control: a block missing a folder, or naming one that is gone, is caught', () => {
    const without = namedPaths(block.replace(/^scenarios\/.*\n/m, ''));
    expect(without).not.toContain('scenarios');
    expect(namedPaths(`${block}nowhere/       a folder that does not exist\n`).filter((p) => !existsSync(join(ROOT, p)))).toEqual(['nowhere']);
  });
});
