import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const LIB = join(import.meta.dirname, '../../../load/lib');
const files = readdirSync(LIB).filter((f) => f.endsWith('.js'));

describe('load/lib, shared by k6 and the built-in driver', () => {
  it.each(files)('%s imports only its sibling modules (no k6, no Node)', (file) => {
    const source = readFileSync(join(LIB, file), 'utf8');
    const specifiers = [...source.matchAll(/^\s*(?:import|export)\s[^'"]*from\s+['"]([^'"]+)['"]/gm)].map((m) => m[1]);
    for (const s of specifiers) expect(s).toMatch(/^\.\/[a-z0-9-]+\.js$/);
    const code = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');
    expect(code).not.toMatch(/\brequire\(|\bprocess\.|\bMath\.random\b|\bBuffer\b|\bsetTimeout\b/);
  });
});
