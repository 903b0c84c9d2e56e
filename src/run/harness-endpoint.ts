import type { Listening, ListenOptions } from '../kernel/index.js';
import { HarnessMetrics, serveHarnessMetrics } from '../telemetry/index.js';

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

export async function startHarnessEndpoint(options: ListenOptions = {}): Promise<HarnessEndpoint> {
  const metrics = new HarnessMetrics();
  let server: Listening;
  try {
    server = await serveHarnessMetrics(metrics, { what: 'the harness metrics endpoint', portFlag: '--metrics-port', ...options });
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
