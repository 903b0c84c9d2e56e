import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { readResults, writeReports } from '../../../src/report/index.js';
import { browserUnavailable, withBrowser } from '../../helpers/browser.js';
import { reportFixture, writeFixture } from '../../helpers/report-fixture.js';
import { hostileProblems, visit } from '../../helpers/report-visit.js';

/**
 * Negative control for report-browser.test.ts's escaping check: the very same hostile strings,
 * rendered through a deliberately broken escaper (both doors — element text and inlined JSON —
 * pass strings through untouched), must make the browser run a script and the check report it.
 * If this test passes while escaping is broken, the check is real; were the check unable to see
 * script running (a CSP that blocks inline handlers, a typo in the probe), this turns red.
 */
vi.mock('../../../src/report/html/escape.js', () => ({
  esc: (value: unknown) => String(value ?? ''),
  jsonForScript: (value: unknown) => JSON.stringify(value),
}));

const skip = browserUnavailable();
if (skip) console.warn(`report XSS negative control skipped: ${skip}`);

describe.skipIf(skip)('the XSS check against a non-escaping report (negative control)', () => {
  it('the hostile strings run script in chromium and hostileProblems says so', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'paychaos-xss-control-'));
    const { reportPath } = await writeReports(dir, await readResults(await writeFixture(dir, reportFixture())));
    const html = await readFile(reportPath, 'utf8');
    await withBrowser(async (context) => {
      const v = await visit(context, reportPath, 'report-xss-control.png', undefined, { chartsTimeoutMs: 3_000 });
      const problems = hostileProblems(html, v);
      // The injected handlers and scripts ran: the probe the real check reads was set.
      expect(v.xss).toBeDefined();
      expect(problems).toContain(`a hostile string ran script: window.__xss = ${String(v.xss)}`);
      expect(problems.some((p) => p.endsWith('is in the HTML unescaped'))).toBe(true);
    });
  });
});
