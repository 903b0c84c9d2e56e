import { describe, expect, it } from 'vitest';
import { renderReport, renderSummaryMarkdown, verdictOf, type Results } from '../../../src/report/index.js';
import { reportFixture } from '../../helpers/report-fixture.js';

/** A run in which the stripe simulator died at 7.25 s: results.crashes and results.parts as the engine writes them. */
function crashedRun(): Results {
  const base = reportFixture().results;
  return {
    ...base,
    status: 'failed',
    crashes: [{ part: 'sim-stripe', atS: 7.25, code: 'PAYCHAOS_ERR_STACK_CHILD_CRASHED', message: 'exited with signal SIGKILL; last output: listening on 127.0.0.1:40123', log: '/tmp/run/sim-stripe.log' }],
    parts: [
      { name: 'harness', pid: 100, cpuS: 3.456, cores: 0.4321 },
      { name: 'gateway-baseline', pid: 101, cpuS: 7.1, cores: 0.89 },
      { name: 'sim-stripe', pid: 102, cpuS: 0.5, cores: 0.0625 },
    ],
  };
}

/** A table's body rows as cell texts, tags stripped. */
function rows(html: string, id: string): string[][] {
  const start = html.indexOf(`<table id="${id}">`);
  if (start < 0) return [];
  const body = html.slice(html.indexOf('<tbody>', start), html.indexOf('</tbody>', start));
  return [...body.matchAll(/<tr>(.*?)<\/tr>/g)].map((m) => [...m[1]!.matchAll(/<td[^>]*>(.*?)<\/td>/g)].map((c) => c[1]!.replace(/<[^>]+>/g, '')));
}

describe('crashes and CPU per part', () => {
  it('report.html lists the part that crashed (when, how, its log) and every part\'s CPU, busiest first', () => {
    const r = crashedRun();
    const html = renderReport(r);
    expect(verdictOf(r).word).toBe('HARNESS FAILED');
    expect(rows(html, 'crashes-table')).toEqual([
      ['CRASHED', 'sim-stripe', '7.25 s', 'PAYCHAOS_ERR_STACK_CHILD_CRASHED: exited with signal SIGKILL; last output: listening on 127.0.0.1:40123', '/tmp/run/sim-stripe.log'],
    ]);
    expect(rows(html, 'parts-table')).toEqual([
      ['gateway-baseline', '101', '7.10 s', '0.89'],
      ['harness', '100', '3.46 s', '0.43'],
      ['sim-stripe', '102', '0.50 s', '0.06'],
    ]);
    expect(html).toContain('<a href="#parts">Parts</a>');
    // A crash inside a fault window is part of that window's story too (stripe-down is 5–10 s).
    expect(html).toMatch(/<li data-step="crash" data-at="7.25"><span class="at">7.25 s<\/span> sim-stripe crashed: exited with signal SIGKILL/);
    expect(html).not.toContain('id="no-crashes"');
  });

  it('summary.md carries the same crash and CPU figures', () => {
    const md = renderSummaryMarkdown(crashedRun());
    expect(md).toContain('### Crashes: 1 part(s) died mid-run');
    expect(md).toContain('| sim-stripe | 7.25 s | PAYCHAOS_ERR_STACK_CHILD_CRASHED: exited with signal SIGKILL; last output: listening on 127.0.0.1:40123 | /tmp/run/sim-stripe.log |');
    expect(md).toContain(['### CPU per part', '', '| part | CPU | cores |', '|---|---:|---:|', '| gateway-baseline | 7.10 s | 0.89 |', '| harness | 3.46 s | 0.43 |', '| sim-stripe | 0.50 s | 0.06 |'].join('\n'));
  });

  it('a run where nothing crashed, or a file from before parts were measured, says so instead of an empty table', () => {
    const { crashes: _c, parts: _p, ...older } = crashedRun();
    const html = renderReport({ ...older, status: 'completed' });
    expect(rows(html, 'crashes-table')).toEqual([]);
    expect(html).toContain('No part crashed');
    expect(html).toContain('holds no CPU per part');
    const md = renderSummaryMarkdown({ ...older, status: 'completed' });
    expect(md).not.toContain('### Crashes');
    expect(md).not.toContain('### CPU per part');
  });
});
