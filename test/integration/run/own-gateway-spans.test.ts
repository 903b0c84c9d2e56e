import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { trace } from '@opentelemetry/api';
import type { ExportResult } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { node, tracing } from '@opentelemetry/sdk-node';
import { afterAll, describe, expect, it } from 'vitest';
import { startGateway } from '../../../gateway/index.js';
import { runScenario } from '../../../src/run/index.js';
import { checkScenario, toRunSpec } from '../../../src/scenario/index.js';
import { startStripeSim } from '../../../simulators/index.js';

/**
 * "Point OTEL_EXPORTER_OTLP_ENDPOINT at paychaos and its traces become part of the verdict": a
 * gateway paychaos did not start (here the reference gateway in this process, with its own
 * Stripe simulator and an OpenTelemetry SDK of its own — a BatchSpanProcessor and the protobuf
 * OTLP exporter, as a team would configure it), driven with --target. Its exporter learns the
 * receiver's address from what the run prints (onStarted), as a user would from the console.
 */
class ExporterAtPrintedAddress implements tracing.SpanExporter {
  inner: OTLPTraceExporter | undefined;
  readonly results: ExportResult[] = [];
  export(spans: tracing.ReadableSpan[], done: (result: ExportResult) => void): void {
    if (!this.inner) return done({ code: 1, error: new Error('no receiver address yet') });
    this.inner.export(spans, (result) => {
      this.results.push(result);
      done(result);
    });
  }
  async shutdown(): Promise<void> {
    await this.inner?.shutdown();
  }
}

describe('a gateway of your own, instrumented with OpenTelemetry, pointed at the run', () => {
  const exporter = new ExporterAtPrintedAddress();
  // A 1 s batch delay (the SDK default is 5 s): the run waits for the last batch after the load either way.
  const provider = new node.NodeTracerProvider({ spanProcessors: [new tracing.BatchSpanProcessor(exporter, { scheduledDelayMillis: 1000 })] });
  let closeAll: () => Promise<void> = async () => {};
  afterAll(async () => {
    await closeAll();
    await provider.shutdown();
    trace.disable();
  });

  it('gets the same server-side section: every payment it answered, by the spans it exported', async () => {
    const prior = process.env.OTEL_EXPORTER_OTLP_ENDPOINT;
    delete process.env.OTEL_EXPORTER_OTLP_ENDPOINT;
    provider.register();
    const sim = await startStripeSim({ seed: 3 });
    const gateway = await startGateway({ providers: { stripe: { url: sim.url } }, variant: 'baseline', version: 'theirs' });
    closeAll = async () => {
      await gateway.close();
      await sim.close();
      if (prior !== undefined) process.env.OTEL_EXPORTER_OTLP_ENDPOINT = prior;
    };
    const dir = await mkdtemp(join(tmpdir(), 'paychaos-own-gw-'));
    const checked = checkScenario({ name: 'own-gateway-spans', load: { executor: 'constant-arrival-rate', rate: 20, duration: '3s', mix: 'cards' } });
    let printed: string | undefined;
    const outcome = await runScenario(toRunSpec(checked.scenario!, { paychaosVersion: '0.0.0-test', outDir: join(dir, 'run'), target: gateway.url }), {
      onStarted: ({ addresses }) => {
        printed = addresses['otlp-receiver'];
        exporter.inner = new OTLPTraceExporter({ url: `${printed}/v1/traces` });
      },
    });
    expect(printed).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const server = outcome.results.serverSide!;
    expect(server.receiver).toBe(printed);
    // The SDK saw every export succeed.
    expect(exporter.results.length).toBeGreaterThan(0);
    expect(exporter.results.every((r) => r.code === 0)).toBe(true);
    // Every payment the shoppers saw is in the gateway's own account, the last batch included.
    const client = outcome.results.variants.baseline!;
    expect(server.variants.baseline!.payments.count).toBe(client.requests);
    expect(server.variants.baseline!.payments.outcomes.succeeded ?? 0).toBe(client.succeeded);
    expect(server.variants.baseline!.byProvider.stripe!.attempts).toBeGreaterThanOrEqual(client.succeeded);
  }, 90_000);
});
