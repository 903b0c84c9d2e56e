/**
 * The tags every sample of a paychaos-launched k6 run carries (`k6 run --tag name=value`), so
 * its series written to Prometheus (`--out experimental-prometheus-rw`) sit beside the gateways'
 * and the harness's under the same run labels the dashboards filter on:
 *
 *   paychaos_scenario = the scenario's name   (dashboards' $scenario)
 *   paychaos_run      = the run id            (dashboards' $run)
 *   testid            = the run id            (k6's convention for one test run in remote-written
 *                                              series; the k8s TestRun sets it the same way)
 *
 * k6's own `scenario` tag is left alone: k6 sets it to the executor scenario's name.
 */
export function k6RunTags(run: { readonly scenario: string; readonly runId: string }): Readonly<Record<string, string>> {
  return { paychaos_scenario: run.scenario, paychaos_run: run.runId, testid: run.runId };
}
