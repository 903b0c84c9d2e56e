/**
 * The slice of Grafana's classic dashboard JSON model (schemaVersion 42, Grafana 12) that our
 * dashboards use, typed so a panel without a unit or a description does not compile. The fixed
 * datasource uid matches provisioning/datasources/prometheus.yml: Grafana resolves it on load
 * without migrating or asking.
 */
export const DATASOURCE = { type: 'prometheus', uid: 'paychaos-prometheus' } as const;
export const SCHEMA_VERSION = 42;

export interface Target {
  readonly refId: string;
  readonly expr: string;
  readonly legendFormat: string;
  readonly datasource: typeof DATASOURCE;
  /** Table panels read one value per series. */
  readonly instant?: boolean;
  readonly range?: boolean;
  readonly format?: 'time_series' | 'table';
}

export interface GridPos {
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
}

export interface Panel {
  readonly id: number;
  readonly type: 'timeseries' | 'stat' | 'piechart' | 'table' | 'bargauge' | 'row';
  readonly title: string;
  readonly description: string;
  readonly gridPos: GridPos;
  readonly datasource: typeof DATASOURCE;
  readonly fieldConfig: { readonly defaults: { readonly unit: string; readonly min?: number; readonly max?: number; readonly decimals?: number; readonly custom?: Record<string, unknown>; readonly mappings?: readonly ValueMapping[] }; readonly overrides: readonly unknown[] };
  readonly options: Record<string, unknown>;
  readonly targets: readonly Target[];
}

/** A Grafana value mapping: numbers shown as words (the breaker's 0 / 1 / 2). */
export interface ValueMapping {
  readonly type: 'value';
  readonly options: Readonly<Record<string, { readonly text: string; readonly color: string; readonly index: number }>>;
}

export interface Variable {
  readonly name: string;
  readonly label: string;
  readonly type: 'query';
  readonly datasource: typeof DATASOURCE;
  readonly definition: string;
  readonly query: { readonly query: string; readonly refId: string; readonly qryType: 1 };
  readonly multi: true;
  readonly includeAll: true;
  /** `.*`: "All" matches every value, also series a new variant brings mid-run. */
  readonly allValue: '.*';
  readonly current: { readonly text: string[]; readonly value: string[] };
  readonly refresh: 2;
  readonly sort: 1;
  readonly hide: 0;
  readonly options: readonly unknown[];
}

/**
 * A Prometheus annotation query: Grafana turns each series' consecutive samples (no gap longer
 * than `step`) into one region over every time-series panel of the dashboard.
 */
export interface Annotation {
  readonly name: string;
  readonly enable: true;
  readonly hide: false;
  readonly iconColor: string;
  readonly datasource: typeof DATASOURCE;
  readonly expr: string;
  readonly step: string;
  readonly titleFormat: string;
  readonly textFormat: string;
  readonly tagKeys: string;
  readonly useValueForTime: false;
}

export interface Dashboard {
  readonly uid: string;
  readonly title: string;
  readonly description: string;
  readonly tags: readonly string[];
  readonly schemaVersion: typeof SCHEMA_VERSION;
  readonly version: 1;
  readonly editable: true;
  readonly graphTooltip: 1;
  readonly timezone: 'browser';
  readonly refresh: string;
  readonly time: { readonly from: string; readonly to: string };
  readonly templating: { readonly list: readonly Variable[] };
  readonly annotations: { readonly list: readonly Annotation[] };
  readonly links: readonly unknown[];
  readonly panels: readonly Panel[];
}
