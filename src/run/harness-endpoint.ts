import type { Listening, ListenOptions } from '../kernel/index.js';
import { HarnessMetrics, serveHarnessMetrics, type HarnessRun } from '../telemetry/index.js';

/**
 * The run's own metrics endpoint: paychaos.client.* fed by every payment the driver records,
 * paychaos.fault.active by the timeline's start and end hooks, served on GET /metrics for as long
 * as the run goes on (127.0.0.1, a free port unless the caller gives one). Its address is among
 * those the run reports when its stack is up ("harness metrics").
 */
export interface HarnessEndpoint {
  readonly metrics: HarnessMetrics;
  /** Where a Prometheus scrapes: `<base>/metrics`. */
  readonly url: string;
  close(): Promise<void>;
}

/** Where to listen, and the run measured (its scenario and id label every series). */
export async function startHarnessEndpoint(options: ListenOptions & HarnessRun = {}): Promise<HarnessEndpoint> {
  const { scenario, runId, ...listen } = options;
  const metrics = new HarnessMetrics({ ...(scenario !== undefined ? { scenario } : {}), ...(runId !== undefined ? { runId } : {}) });
  let server: Listening;
  try {
    server = await serveHarnessMetrics(metrics, { what: 'the harness metrics endpoint', portFlag: '--metrics-port', ...listen });
  } catch (err) {
    await metrics.close();
    throw err;
  }
  let closing: Promise<void> | undefined;
  return {
    metrics,
    url: `${server.url}/metrics`,
    close: () =>
      (closing ??= (async () => {
        await server.close();
        await metrics.close();
      })()),
  };
}
