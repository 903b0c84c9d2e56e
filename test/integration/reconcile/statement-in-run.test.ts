import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCsv } from '../../../src/analysis/index.js';
import { readResults } from '../../../src/report/index.js';
import { runOne, shippedScenario } from '../../helpers/edited-scenario.js';

/**
 * A real run of the shipped settlement-reconciliation scenario writes the statement a finance
 * person reads beside results.json: reconciliation.csv with a row per payment the invariant
 * checked, its counts in results.json, and the Reconciliation section in report.html.
 */
describe('the reconciliation statement of a run', () => {
  it('settlement-reconciliation writes reconciliation.csv (a row per checked payment), its counts in results.json, and report.html shows the section', async () => {
    const suite = await runOne(shippedScenario('settlement-reconciliation.yaml'));
    const entry = suite.entries[0]!;
    const results = await readResults(join(entry.outDir, 'results.json'));
    const clean = results.invariants.find((i) => i.name === 'reconciliation-clean')!;
    expect(clean.checked).toBeGreaterThan(50);
    const [header, ...rows] = parseCsv(await readFile(join(entry.outDir, 'reconciliation.csv'), 'utf8'), 'reconciliation.csv');
    expect(header!.slice(0, 4)).toEqual(['provider', 'order_id', 'provider_reference', 'payment_method']);
    expect(rows).toHaveLength(clean.checked);
    const status = header!.indexOf('status');
    const mismatched = rows.filter((r) => r[status] !== 'matched').length;
    const rec = results.reconciliation!;
    expect(rec).toMatchObject({ statement: 'reconciliation.csv', payments: clean.checked, mismatches: clean.violations.length });
    expect(rec.payments - rec.matched).toBe(mismatched);
    expect(Object.values(rec.byProvider).reduce((n, p) => n + p.payments, 0)).toBe(rows.length);
    expect(Object.keys(rec.byProvider).sort()).toEqual([...new Set(rows.map((r) => r[0]!))].sort());
    const html = await readFile(join(entry.outDir, 'report.html'), 'utf8');
    expect(html).toContain('<section id="reconciliation"><h2>Reconciliation</h2>');
    const listed = [...html.matchAll(/<tr data-order="/g)].length;
    expect(listed).toBe(Math.min(rows.length, mismatched + 200));
    expect(html).toContain(`${rows.length} payment(s), ${mismatched} with a mismatch.`);
  }, 120_000);
});
