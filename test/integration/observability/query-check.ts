import type { DashboardQuery } from '../../../grafana/src/index.js';
import { instantQuery } from './real-prometheus.js';

/**
 * Grafana's variables as the test sets them: every template variable on "All" (`.*`), the rate
 * window wider than the whole run, so each panel's value at "now" covers every payment made.
 */
export const SUBSTITUTIONS: Readonly<Record<string, string>> = { scenario: '.*', run: '.*', variant: '.*', provider: '.*', method: '.*', __rate_interval: '1m', __range: '5m', __interval: '1s' };

export function substitute(expr: string, values: Readonly<Record<string, string>> = SUBSTITUTIONS): string {
  const out = expr.replace(/\$(\w+)|\$\{(\w+)\}/g, (whole, a: string | undefined, b: string | undefined) => values[(a ?? b)!] ?? whole);
  if (out.includes('$')) throw new Error(`a Grafana variable is left unsubstituted in: ${out}`);
  return out;
}

export interface QueryProblem {
  readonly query: DashboardQuery;
  readonly problem: 'error' | 'empty';
  readonly detail: string;
}

/**
 * Runs each query through Prometheus; a query that errors is a problem, and so is one that returns
 * nothing unless `mayBeEmpty` says its panel is allowed to (a series only some setups export).
 */
export async function checkQueries(url: string, queries: readonly DashboardQuery[], mayBeEmpty: (q: DashboardQuery) => boolean = () => false): Promise<QueryProblem[]> {
  const problems: QueryProblem[] = [];
  for (const q of queries) {
    const expr = substitute(q.expr);
    const answer = await instantQuery(url, expr);
    if (answer.status !== 'success') problems.push({ query: q, problem: 'error', detail: `${answer.error ?? answer.status} — ${expr}` });
    else if (answer.result.length === 0 && !mayBeEmpty(q)) problems.push({ query: q, problem: 'empty', detail: expr });
  }
  return problems;
}
