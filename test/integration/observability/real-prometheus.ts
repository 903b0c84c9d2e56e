import { existsSync } from 'node:fs';
import { prometheusBin, startPrometheus as startLocalPrometheus, type StartedPrometheus } from '../../../src/stack/index.js';

/**
 * The real Prometheus binary (Debian's 2.42: `apt-get install --no-install-recommends
 * prometheus`; PROMETHEUS_BIN overrides), run the way `paychaos up --prometheus` runs it
 * (src/stack/prometheus.ts): the repository's own compose/prometheus.yml and compose/rules/, with
 * 1 s scrape and evaluation and the targets' real addresses. So the relabelling, honor_labels and
 * recording rules under test are the shipped ones.
 */
export const PROMETHEUS_BIN = prometheusBin();
export const prometheusAvailable = existsSync(PROMETHEUS_BIN);
export type { StartedPrometheus };

export function startPrometheus(targets: Readonly<Record<string, string>>, port?: number): Promise<StartedPrometheus> {
  return startLocalPrometheus({ targets, ...(port !== undefined ? { port } : {}) });
}

export async function until(ok: () => Promise<boolean>, timeoutMs: number, why: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await ok())) {
    if (Date.now() > deadline) throw new Error(why());
    await new Promise((r) => setTimeout(r, 200));
  }
}

export interface Sample {
  readonly metric: Record<string, string>;
  readonly value: [number, string];
}

/** GET /api/v1/query: Prometheus' whole answer, errors included (status, errorType, error). */
export async function instantQuery(url: string, expr: string): Promise<{ status: string; error?: string; result: Sample[] }> {
  const res = await fetch(`${url}/api/v1/query?${new URLSearchParams({ query: expr })}`);
  const body = (await res.json()) as { status: string; error?: string; data?: { result: Sample[] | unknown } };
  return { status: body.status, ...(body.error ? { error: body.error } : {}), result: Array.isArray(body.data?.result) ? (body.data.result as Sample[]) : [] };
}

/** GET /api/v1/query_range: each series with its [seconds, value] points (a failed query throws). */
export async function rangeQuery(url: string, expr: string, startS: number, endS: number, stepS: number): Promise<Array<{ metric: Record<string, string>; values: Array<[number, string]> }>> {
  const res = await fetch(`${url}/api/v1/query_range?${new URLSearchParams({ query: expr, start: String(startS), end: String(endS), step: String(stepS) })}`);
  const body = (await res.json()) as { status: string; error?: string; data?: { result: Array<{ metric: Record<string, string>; values: Array<[number, string]> }> } };
  if (body.status !== 'success') throw new Error(`${expr}: ${body.error ?? body.status}`);
  return body.data?.result ?? [];
}
