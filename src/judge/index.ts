/**
 * The canary judge's I/O, around the pure judge in src/analysis/canary: where its inputs come from
 * (two results files, one results file with both variants, Prometheus) and its HTTP face for Argo
 * Rollouts and Flagger (`paychaos serve judge`).
 *
 *   results.json ─┐                                   ┌─▶ Markdown / JSON (paychaos judge)
 *   Prometheus  ──┼─▶ JudgeInputs ─▶ judge(config) ─▶ JudgeReport ─▶ /judge, /flagger (serve judge)
 *   demo (live) ──┘                                   └─▶ /metrics (Prometheus text for Grafana)
 */
export * from './sources/index.js';
export * from './http/index.js';
