import { readFile } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { isPaychaosError } from '../../kernel/index.js';
import { parseResults } from '../read-results.js';
import type { Results } from '../results-schema.js';
import { writeFileAtomic } from '../write-atomic.js';
import { esc } from './escape.js';
import { pct, ms } from './format.js';
import { page } from './page.js';
import { badge, raw, table, type Cell } from './table.js';
import { verdictOf } from './verdict.js';

/** One scenario of a suite: its results, or why they could not be read. */
export type SuiteEntry = { readonly dir: string; readonly results: Results } | { readonly dir: string; readonly error: string; readonly word?: string };

/** A suite's index.html: one row per scenario, linking its report, verdict first. Links are relative to `indexDir`. */
export function renderSuiteIndex(entries: readonly SuiteEntry[], indexDir: string): string {
  const rows = entries.map((e): Cell[] => {
    const link = relative(resolve(indexDir), join(resolve(e.dir), 'report.html')).split('\\').join('/');
    if ('error' in e) return [badge(e.word ?? 'UNREADABLE', 'bad'), basename(e.dir), e.error, '', '', '', ''];
    const v = verdictOf(e.results);
    const b = e.results.variants.baseline ?? e.results.variants.canary;
    return [
      badge(v.word, v.tone),
      raw(`<a href="${esc(link)}">${esc(e.results.scenario)}</a>`),
      v.because + (v.failures.length ? ` — ${v.failures.join('; ')}` : ''),
      b ? b.requests : '',
      b ? pct(b.successRate) : '',
      b ? ms(b.latencyMs.p95) : '',
      e.results.faults.length,
    ];
  });
  const failing = entries.filter((e) => 'error' in e || verdictOf(e.results).tone !== 'ok').length;
  const tone = failing === 0 ? 'ok' : 'bad';
  const body = [
    `<header class="top"><p class="meta">paychaos suite · ${entries.length} scenario(s)</p>`,
    `<h1 id="verdict" class="verdict ${tone}" data-verdict="${failing === 0 ? 'HELD' : 'FAILED'}">${failing === 0 ? 'HELD' : 'FAILED'}</h1>`,
    `<p class="because">${failing === 0 ? 'every scenario held' : `${failing} of ${entries.length} scenario(s) did not hold`}.</p></header>`,
    '<section id="scenarios"><h2>Scenarios</h2>',
    table(['verdict', 'scenario', 'why', 'requests', 'success', 'p95', 'faults'], rows, { id: 'suite-table', numeric: [3, 4, 5, 6] }),
    '</section>',
  ].join('\n');
  return page({ title: `paychaos suite — ${failing === 0 ? 'HELD' : 'FAILED'}`, body, charts: [] });
}

/**
 * Read every scenario's results.json and write `<indexDir>/index.html`. A scenario whose results
 * cannot be read is listed as unreadable with its error code — one broken scenario never hides
 * the others' reports. A scenario given with an error (one a suite skipped) is listed with it,
 * unread.
 */
export async function writeSuiteIndex(indexDir: string, scenarioDirs: readonly (string | { readonly dir: string; readonly error: string; readonly word?: string })[]): Promise<string> {
  const entries = await Promise.all(
    scenarioDirs.map(async (given): Promise<SuiteEntry> => {
      if (typeof given !== 'string') return given;
      const dir = given;
      const path = join(dir, 'results.json');
      try {
        return { dir, results: parseResults(await readFile(path, 'utf8'), path) };
      } catch (err) {
        return { dir, error: isPaychaosError(err) ? `${err.code}: ${err.message}` : `cannot read ${path}: ${(err as Error).message}` };
      }
    }),
  );
  const indexPath = join(indexDir, 'index.html');
  await writeFileAtomic(indexPath, renderSuiteIndex(entries, dirname(indexPath)));
  return indexPath;
}
