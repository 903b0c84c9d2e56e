import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { it } from 'vitest';
import { loadScenarios, runSuite } from '../../../src/scenario/index.js';
it('try', async () => {
  const file = process.env.TRY_FILE!;
  const out = await mkdtemp(join(tmpdir(), 'hooks-try-'));
  const t0 = Date.now();
  const r = await runSuite(await loadScenarios([file]), { paychaosVersion: '0.0.0-test', outDir: out });
  const e = r.entries[0]!;
  console.log('ERR', JSON.stringify((e as any).error ?? (e as any).message ?? Object.keys(e)));
  console.log('EXIT', r.exitCode, 'secs', (Date.now() - t0) / 1000, out);
  console.log(JSON.stringify(e.results?.assertions, null, 0));
  console.log(JSON.stringify(e.results?.invariants.map((i) => ({ n: i.name, p: i.passed, c: i.checked, v: i.violations.slice(0, 3) }))));
  console.log(JSON.stringify(e.results?.variants.baseline?.byProvider && Object.fromEntries(Object.entries(e.results.variants.baseline.byProvider).map(([k, v]) => [k, { r: v.requests, s: v.succeeded, f: v.failed, p: v.pending, codes: v.errorCodes }]))));
}, 180_000);
