import { DATASOURCE, SCHEMA_VERSION, type Annotation, type Dashboard, type Panel, type Target, type ValueMapping, type Variable } from './model.js';
import { REQUESTS, RUN_LABEL, runSel, SCENARIO_LABEL } from './promql.js';

/**
 * Small builders over model.ts: a dashboard is a list of panel specs laid out left to right,
 * 24 columns wide, so a dashboard file reads as what it shows, not as JSON plumbing.
 */
export interface PanelSpec {
  readonly type: Panel['type'];
  readonly title: string;
  readonly description: string;
  readonly unit: string;
  /** Grid width (of 24) and height; default 12 × 8. */
  readonly w?: number;
  readonly h?: number;
  readonly min?: number;
  readonly max?: number;
  readonly mappings?: readonly ValueMapping[];
  readonly targets: ReadonlyArray<{ readonly expr: string; readonly legend?: string; readonly instant?: boolean }>;
  readonly options?: Record<string, unknown>;
}

/** A multi-value label variable, "All" by default, its values read from a metric's series. */
export function labelVariable(name: string, label: string, metric: string, labelName: string): Variable {
  const definition = `label_values(${metric}, ${labelName})`;
  return {
    name,
    label,
    type: 'query',
    datasource: DATASOURCE,
    definition,
    query: { query: definition, refId: 'PrometheusVariableQueryEditor-VariableQuery', qryType: 1 },
    multi: true,
    includeAll: true,
    allValue: '.*',
    current: { text: ['All'], value: ['$__all'] },
    refresh: 2,
    sort: 1,
    hide: 0,
    options: [],
  };
}

/**
 * Fault windows shaded on every time series of every dashboard: the harness's
 * paychaos_fault_active is 1 while a scenario's fault step is active, so the samples where it is
 * 1 form one region per step, titled by the step and tagged with its target — a drill's success
 * rate and latency read against what was done to the system.
 */
export const FAULT_WINDOWS: Annotation = {
  name: 'Fault steps',
  enable: true,
  hide: false,
  iconColor: 'rgba(242, 73, 92, 0.35)',
  datasource: DATASOURCE,
  expr: `max by (fault, target) (paychaos_fault_active${runSel()}) == 1`,
  step: '5s',
  titleFormat: '{{fault}}',
  textFormat: 'fault step {{fault}} on {{target}}',
  tagKeys: 'fault,target',
  useValueForTime: false,
};

/**
 * The run's variables, first on every dashboard: which scenario and which run (its id, the
 * paychaos_run label) — one Prometheus keeps many runs, and sel() filters every payment series
 * by both. Read from payment_requests_total, the series every run's gateways write.
 */
export const runVariables = (): Variable[] => [labelVariable('scenario', 'Scenario', REQUESTS, SCENARIO_LABEL), labelVariable('run', 'Run', REQUESTS, RUN_LABEL)];

/** A dashboard: the run's variables, then its own, then its panels laid out. */
export function dashboard(meta: { uid: string; title: string; description: string; tags: string[] }, variables: Variable[], specs: PanelSpec[]): Dashboard {
  return {
    ...meta,
    schemaVersion: SCHEMA_VERSION,
    version: 1,
    editable: true,
    graphTooltip: 1,
    timezone: 'browser',
    refresh: '5s',
    time: { from: 'now-15m', to: 'now' },
    templating: { list: [...runVariables(), ...variables] },
    annotations: { list: [FAULT_WINDOWS] },
    links: [],
    panels: layout(specs),
  };
}

function layout(specs: PanelSpec[]): Panel[] {
  let x = 0;
  let y = 0;
  let rowHeight = 0;
  return specs.map((spec, i) => {
    const w = spec.w ?? 12;
    const h = spec.h ?? 8;
    if (x + w > 24) {
      x = 0;
      y += rowHeight;
      rowHeight = 0;
    }
    const gridPos = { x, y, w, h };
    x += w;
    rowHeight = Math.max(rowHeight, h);
    const targets: Target[] = spec.targets.map((t, j) => ({
      refId: String.fromCharCode(65 + j),
      expr: t.expr,
      legendFormat: t.legend ?? '__auto',
      datasource: DATASOURCE,
      ...(t.instant ? { instant: true, range: false, format: 'table' as const } : {}),
    }));
    return {
      id: i + 1,
      type: spec.type,
      title: spec.title,
      description: spec.description,
      gridPos,
      datasource: DATASOURCE,
      fieldConfig: { defaults: { unit: spec.unit, ...(spec.min !== undefined ? { min: spec.min } : {}), ...(spec.max !== undefined ? { max: spec.max } : {}), ...(spec.mappings ? { mappings: spec.mappings } : {}) }, overrides: [] },
      options: spec.options ?? {},
      targets,
    };
  });
}

/** Every PromQL expression of a dashboard — panel targets and variable queries — with where it sits. */
export interface DashboardQuery {
  readonly dashboard: string;
  readonly panel: string;
  readonly refId: string;
  readonly expr: string;
}

export function panelQueries(d: Pick<Dashboard, 'uid' | 'panels'>): DashboardQuery[] {
  return d.panels.flatMap((p) => p.targets.map((t) => ({ dashboard: d.uid, panel: p.title, refId: t.refId, expr: t.expr })));
}
