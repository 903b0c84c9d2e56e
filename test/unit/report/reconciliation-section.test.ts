import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readStatement, reconciliationSection, renderReport, type StatementExcerpt } from '../../../src/report/index.js';
import { statementSummary, writeStatement } from '../../../src/run/index.js';
import { fixtureStatement, HOSTILE, reportFixture, statementRow } from '../../helpers/report-fixture.js';

/** A table's body rows as cell texts, tags stripped, entities left as written. */
function rows(html: string, id: string): string[][] {
  const start = html.indexOf(`<table id="${id}">`);
  if (start < 0) return [];
  const body = html.slice(html.indexOf('<tbody>', start), html.indexOf('</tbody>', start));
  return [...body.matchAll(/<tr[^>]*>(.*?)<\/tr>/g)].map((m) => [...m[1]!.matchAll(/<td[^>]*>(.*?)<\/td>/g)].map((c) => c[1]!.replace(/<[^>]+>/g, '')));
}

async function written(statement = fixtureStatement(), limits?: { mismatched: number; matched: number }): Promise<StatementExcerpt> {
  const dir = await mkdtemp(join(tmpdir(), 'paychaos-statement-'));
  return (await readStatement(await writeStatement(dir, statement), limits))!;
}

describe('the Reconciliation section of report.html', () => {
  it('counts mismatches by kind per provider, then lists the statement, mismatches first, with both sides in major units', async () => {
    const { results } = reportFixture();
    const html = reconciliationSection(results, await written());
    expect(rows(html, 'reconciliation-summary')).toEqual([
      ['clean', 'adyen', '1', '1', '0'],
      ['1 mismatch(es)', 'stripe', '2', '1', '1'],
      ['1 mismatch(es)', 'all providers', '3', '2', '1'],
    ]);
    expect(html).toContain('<th class="num">amount-mismatch</th>');
    expect(html).toContain('Not reconciled (no settlement report): paypal (2 book entries).');
    const listed = rows(html, 'statement-table');
    expect(listed.map((r) => [r[0], r[1], r[2]])).toEqual([
      ['amount-mismatch', 'stripe', '&lt;img src=x onerror=&quot;window.__xss=1&quot;&gt;'],
      ['matched', 'stripe', 'order-1'],
      ['matched', 'adyen', 'order-3'],
    ]);
    expect(listed[0]!.slice(7, 9)).toEqual(['19.99', '20.04']);
    expect(html).toContain('3 payment(s), 1 with a mismatch. Shown: 1 mismatched, then 2 matched.');
  });

  it('escapes hostile order ids and messages in cells and in the data attributes the filter reads', async () => {
    const html = reconciliationSection(reportFixture().results, await written());
    for (const s of [HOSTILE.orderId, HOSTILE.message]) expect(html).not.toContain(s);
    expect(html).toContain('data-order="&lt;img src=x onerror=&quot;window.__xss=1&quot;&gt;"');
    expect(html).toContain('&lt;/script&gt;&lt;script&gt;window.__xss=2&lt;/script&gt;');
    // The only script in the section is the fixed filter: nothing from the run is interpolated into it.
    expect(html.match(/<script>/g)).toHaveLength(1);
    const script = html.slice(html.indexOf('<script>'), html.indexOf('</script>'));
    expect(script).not.toContain('order-');
  });

  it('carries the filter markup: order id, time range and a method list from the rows; each row tagged with its order, time and method', async () => {
    const html = reconciliationSection(reportFixture().results, await written());
    expect(html).toContain('<form id="statement-filter"');
    for (const name of ['order', 'since', 'until']) expect(html).toContain(`<input name="${name}"`);
    expect(html).toContain('<select name="method"><option value="">any</option><option value="card">card</option><option value="wallet">wallet</option></select>');
    expect(html).toContain('<tr data-order="order-3" data-time="2026-11-11T00:00:12.000Z" data-method="wallet">');
    expect(html).toContain('<span id="statement-shown">3</span>');
  });

  it('bounds the rows: every mismatch up to its limit, then matched rows, saying how many were left out and that the CSV has them', async () => {
    const many = { ...fixtureStatement(), rows: Array.from({ length: 12 }, (_, i) => statementRow({ provider: 'stripe', orderId: `o-${i}`, providerRef: `pi_${i}` })) };
    const excerpt = await written(many, { mismatched: 5, matched: 4 });
    expect(excerpt.rows).toHaveLength(4);
    expect(excerpt.total).toBe(12);
    const html = reconciliationSection({ ...reportFixture().results, reconciliation: statementSummary(many) }, excerpt);
    expect(rows(html, 'statement-table')).toHaveLength(4);
    expect(html).toContain('Shown: 0 mismatched, then 4 matched; 8 more row(s) left out here — reconciliation.csv has them all.');
  });

  it('without reconciliation.csv shows the counts and says the rows are missing; a run that did not reconcile has no section', async () => {
    const { results } = reportFixture();
    expect(reconciliationSection(results, undefined)).toContain('reconciliation.csv was not found beside results.json');
    const { reconciliation: _, ...unreconciled } = results;
    expect(reconciliationSection(unreconciled, undefined)).toBe('');
    expect(renderReport(unreconciled)).not.toContain('id="reconciliation"');
    expect(renderReport(results)).toContain('<a href="#reconciliation">Reconciliation</a>');
  });

  it('reads no file as absent, and refuses a CSV that is not a statement with a coded error', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'paychaos-statement-'));
    expect(await readStatement(join(dir, 'reconciliation.csv'))).toBeUndefined();
    await writeFile(join(dir, 'other.csv'), 'a,b\r\n1,2\r\n');
    await expect(readStatement(join(dir, 'other.csv'))).rejects.toMatchObject({ code: 'PAYCHAOS_ERR_RESULTS_INVALID' });
  });
});
