import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { DATASOURCE, SCHEMA_VERSION, dashboardText, dashboards, panelQueries, type Dashboard } from '../../../grafana/src/index.js';
import { selectorsWithoutRunFilter, unknownMetricNames } from './metric-names.js';

/**
 * grafana/dashboards/*.json are generated from grafana/src/ (typed code): this keeps them in sync
 * (UPDATE_DASHBOARDS=1 rewrites them) and checks what Grafana needs to load them untouched —
 * schemaVersion 42, the provisioned datasource uid, a unit and a description on every panel —
 * and that every query names only series that exist (metric-names.ts). Whether each query runs
 * and returns data is test/integration/observability/dashboards-prometheus.test.ts.
 */
const ROOT = join(import.meta.dirname, '../../..');
const DIR = join(ROOT, 'grafana/dashboards');
const generated = dashboards();

if (process.env.UPDATE_DASHBOARDS === '1') for (const [file, d] of Object.entries(generated)) writeFileSync(join(DIR, file), dashboardText(d));

describe('Grafana dashboards', () => {
  it('the committed JSON files are exactly what grafana/src generates, and nothing else', () => {
    expect(readdirSync(DIR).filter((f) => f.endsWith('.json')).sort()).toEqual(Object.keys(generated).sort());
    for (const [file, d] of Object.entries(generated)) expect(readFileSync(join(DIR, file), 'utf8'), `${file} is stale: UPDATE_DASHBOARDS=1 npx vitest run test/unit/observability/dashboards.test.ts`).toBe(dashboardText(d));
  });

  it.each(Object.entries(generated))('%s: schemaVersion 42, unique uid, every panel with a unit, a description, the fixed datasource and a place on the grid', (_file, d) => {
    expect(d.schemaVersion).toBe(SCHEMA_VERSION);
    expect(d.schemaVersion).toBe(42);
    expect(new Set(d.panels.map((p) => p.id)).size).toBe(d.panels.length);
    for (const p of d.panels) {
      expect(p.fieldConfig.defaults.unit, p.title).toMatch(/\S/);
      expect(p.description.length, p.title).toBeGreaterThan(20);
      expect(p.datasource).toEqual(DATASOURCE);
      expect(p.targets.length, p.title).toBeGreaterThan(0);
      for (const t of p.targets) expect(t.datasource).toEqual(DATASOURCE);
      expect(p.gridPos.x + p.gridPos.w, p.title).toBeLessThanOrEqual(24);
    }
    for (const v of d.templating.list) expect(v.datasource).toEqual(DATASOURCE);
    // Fault windows shade every time series: the harness's gauge, one region per step while it is 1.
    expect(d.annotations.list.map((a) => [a.name, a.datasource, a.expr, a.enable])).toEqual([['Fault steps', DATASOURCE, 'max by (fault, target) (paychaos_fault_active{paychaos_scenario=~"$scenario", paychaos_run=~"$run"}) == 1', true]]);
  });

  it.each(Object.entries(generated))('%s: scenario and run variables first, multi-value, All = .*, over the run labels', (_file, d) => {
    const [scenario, run] = d.templating.list;
    for (const [v, name, label] of [[scenario, 'scenario', 'paychaos_scenario'], [run, 'run', 'paychaos_run']] as const) {
      expect(v?.name).toBe(name);
      expect(v?.definition).toBe(`label_values(payment_requests_total, ${label})`);
      expect([v?.type, v?.multi, v?.includeAll, v?.allValue]).toEqual(['query', true, true, '.*']);
      expect(v?.datasource).toEqual(DATASOURCE);
    }
  });

  it('every selector of a series a run labels is filtered by the scenario and run variables', () => {
    const exprs = Object.values(generated).flatMap((d) => [...panelQueries(d).map((q) => q.expr), ...d.annotations.list.map((a) => a.expr)]);
    expect(exprs.filter((e) => /payment_|paychaos_fault_active/.test(e)).length).toBeGreaterThan(30);
    expect(exprs.flatMap(selectorsWithoutRunFilter)).toEqual([]);
  });

  it('the control: a panel whose selector lost the run filter, or a bare metric, is caught', () => {
    const expr = panelQueries(generated['payments-overview.json']!)[0]!.expr;
    expect(selectorsWithoutRunFilter(expr)).toEqual([]);
    const lost = expr.replaceAll('paychaos_run=~"$run", ', '');
    expect(lost).not.toBe(expr);
    expect(selectorsWithoutRunFilter(lost).length).toBeGreaterThan(0);
    expect(selectorsWithoutRunFilter('max by (fault, target) (paychaos_fault_active)')).toEqual(['paychaos_fault_active']);
    // Label names inside a selector or a by () list are not series.
    expect(selectorsWithoutRunFilter('sum by (payment_provider) (rate(payment_requests_total{paychaos_scenario=~"$scenario", paychaos_run=~"$run", payment_method="card"}[1m]))')).toEqual([]);
  });

  it('the four dashboards the issue names, each new one with scenario, run, variant and provider variables', () => {
    expect(Object.values(generated).map((d) => d.title)).toEqual(['paychaos · Payments overview', 'paychaos · Canary vs baseline', 'paychaos · Chaos drill', 'paychaos · Providers']);
    for (const file of ['chaos-drill.json', 'providers.json']) expect(generated[file]!.templating.list.map((v) => v.name), file).toEqual(['scenario', 'run', 'variant', 'provider']);
  });

  it('the breaker panel shows the gauge\'s encoding as words: 0 closed, 1 half-open, 2 open', () => {
    const panel = generated['providers.json']!.panels.find((p) => p.title === 'Breaker state')!;
    expect(panel.targets[0]!.expr).toContain('payment_provider_breaker_state{');
    const options = panel.fieldConfig.defaults.mappings![0]!.options;
    expect(Object.entries(options).map(([v, o]) => [v, o.text])).toEqual([['0', 'closed'], ['1', 'half-open'], ['2', 'open']]);
  });

  it('dashboard uids are distinct', () => {
    const uids = Object.values(generated).map((d) => d.uid);
    expect(new Set(uids).size).toBe(uids.length);
  });

  it('every panel query, variable and annotation names only series the gateway, the proxy, the judge or Prometheus expose', () => {
    const exprs = Object.values(generated).flatMap((d) => [...panelQueries(d).map((q) => q.expr), ...d.templating.list.map((v) => v.definition), ...d.annotations.list.map((a) => a.expr)]);
    expect(exprs.length).toBeGreaterThan(30);
    expect(exprs.flatMap(unknownMetricNames)).toEqual([]);
  });

  it('the control: a misspelled metric in a panel is caught by that check', () => {
    const d = generated['payments-overview.json']!;
    const broken: Dashboard = { ...d, panels: d.panels.map((p, i) => (i === 0 ? { ...p, targets: p.targets.map((t) => ({ ...t, expr: t.expr.replace('payment_requests_total', 'payment_request_total') })) } : p)) };
    expect(panelQueries(broken).flatMap((q) => unknownMetricNames(q.expr))).toContain('payment_request_total');
  });

  it('provisioning names the dashboards\' datasource uid and loads the folder the compose file mounts them at', () => {
    const ds = parse(readFileSync(join(ROOT, 'grafana/provisioning/datasources/prometheus.yml'), 'utf8')) as { datasources: Array<{ uid: string; type: string }> };
    expect(ds.datasources.map((d) => [d.uid, d.type])).toContainEqual([DATASOURCE.uid, DATASOURCE.type]);
    const provider = parse(readFileSync(join(ROOT, 'grafana/provisioning/dashboards/paychaos.yml'), 'utf8')) as { providers: Array<{ options: { path: string } }> };
    expect(provider.providers[0]!.options.path).toBe('/var/lib/grafana/dashboards');
  });
});
