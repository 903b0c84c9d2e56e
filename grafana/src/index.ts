/**
 * The dashboards as code. grafana/dashboards/*.json are generated from these and kept in sync by
 * test/unit/observability/dashboards.test.ts (regenerate: `UPDATE_DASHBOARDS=1 npx vitest run
 * test/unit/observability/dashboards.test.ts`).
 */
import { canaryDashboard } from './canary.js';
import { chaosDrillDashboard } from './chaos.js';
import type { Dashboard } from './model.js';
import { overviewDashboard } from './overview.js';
import { providersDashboard } from './providers.js';

export { FAULT_WINDOWS, panelQueries, type DashboardQuery } from './build.js';
export { DATASOURCE, SCHEMA_VERSION, type Annotation, type Dashboard, type Panel, type Target, type ValueMapping, type Variable } from './model.js';

/** File name under grafana/dashboards/ → dashboard. */
export function dashboards(): Record<string, Dashboard> {
  return {
    'payments-overview.json': overviewDashboard(),
    'canary-vs-baseline.json': canaryDashboard(),
    'chaos-drill.json': chaosDrillDashboard(),
    'providers.json': providersDashboard(),
  };
}

/** The file's text: two-space JSON with a final newline, as committed. */
export const dashboardText = (d: Dashboard): string => `${JSON.stringify(d, null, 2)}\n`;
