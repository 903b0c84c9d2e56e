import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseTimeline } from '../../../src/chaos/index.js';
import { trafficConfig } from '../../../src/load/index.js';
import { resultsSchema } from '../../../src/report/index.js';
import { newRunId, runScenario, type RunSpec } from '../../../src/run/index.js';
import { HarnessMetrics } from '../../../src/telemetry/harness/index.js';

/**
 * The run's own metrics endpoint, scraped while a real run goes on (a Stripe simulator behind the
 * embedded proxy, the reference gateway in-process, the built-in driver) with one fault step:
 * paychaos_fault_active reads 1 for the step exactly while it is active — absent before it, 1
 * during, 0 after, for as long as the step really lasted — and paychaos_client_* count what the
 * driver recorded, on second-scale buckets.
 */
const STEP = { id: 'slow-stripe', target: 'stripe' };

function spec(outDir: string): RunSpec {
  const runId = newRunId('harness-metrics');
  return {
    runId,
    scenario: 'harness-metrics-test',
    outDir,
    paychaosVersion: '0.0.0-test',
    stack: { providers: ['stripe'], seed: 9, systems: [{ variant: 'baseline', mode: 'in-process', config: { variant: 'baseline', version: 'test' } }] },
    load: {
      engine: 'builtin',
      rate: 20,
      durationMs: 3000,
      maxInFlight: 100,
      traffic: trafficConfig({ runId, seed: 9, mix: 'cards', behaviours: { pay: 1, duplicate_submit: 0, new_key_retry: 0, double_click: 0, abandon_resume: 0, retry_on_timeout: 0 }, duplicateAfter: { minMs: 50, maxMs: 100 } }),
    },
    timeline: parseTimeline([{ ...STEP, type: 'latency', at: '700ms', for: '1000ms', latencyMs: 50 }]),
  };
}

interface Sample {
  /** performance.now() when the scrape answered. */
  readonly at: number;
  /** paychaos_fault_active for the step; undefined while the series does not exist. */
  readonly fault: number | undefined;
  /** Sum of paychaos_client_requests_total. */
  readonly requests: number;
  readonly text: string;
}

function read(text: string, at: number): Sample {
  // The run's labels (paychaos_scenario, paychaos_run) follow fault and target; checked in the run test.
  const fault = /^paychaos_fault_active\{fault="slow-stripe",target="stripe"[^}]*\} (\S+)$/m.exec(text);
  const requests = [...text.matchAll(/^paychaos_client_requests_total\{[^}]*\} (\S+)$/gm)].reduce((s, m) => s + Number(m[1]), 0);
  return { at, fault: fault ? Number(fault[1]) : undefined, requests, text };
}

/**
 * The check: how long the gauge read 1, and whether it was 1 only in one unbroken stretch that
 * began after "absent" and ended in 0. Pure, so the negative control runs it on a broken series.
 */
function faultWindow(samples: readonly Sample[]): { onMs: number; outerMs: number; shape: string } {
  const states = samples.map((s) => (s.fault === undefined ? '-' : String(s.fault)));
  const shape = states.filter((s, i) => i === 0 || s !== states[i - 1]).join('');
  const on = samples.filter((s) => s.fault === 1);
  // The step's true window lies between the last scrape before the first 1 and the first after the last 1.
  const first = samples.indexOf(on[0]!);
  const last = samples.lastIndexOf(on.at(-1)!);
  const outerMs = on.length > 0 && first > 0 && last < samples.length - 1 ? samples[last + 1]!.at - samples[first - 1]!.at : 0;
  return { onMs: on.length > 0 ? on.at(-1)!.at - on[0]!.at : 0, outerMs, shape };
}

describe("the run's own metrics on its Prometheus endpoint", () => {
  it('reads paychaos_fault_active 1 exactly while the step is active and counts what the driver saw', async () => {
    const out = await mkdtemp(join(tmpdir(), 'paychaos-harness-metrics-'));
    const samples: Sample[] = [];
    let url: string | undefined;
    let gatewayUrl: string | undefined;
    /** The last GET /metrics of the run's gateway that counted a payment. */
    let gatewayText = '';
    let scraping: Promise<void> | undefined;
    let stop = false;
    const scrape = async (): Promise<void> => {
      // Bounded: every 25 ms until the run is over (or 30 s).
      const until = performance.now() + 30_000;
      while (!stop && performance.now() < until) {
        const res = await fetch(url!).catch(() => undefined);
        if (res?.status === 200) samples.push(read(await res.text(), performance.now()));
        const gw = await fetch(`${gatewayUrl!}/metrics`).catch(() => undefined);
        if (gw?.status === 200) {
          const text = await gw.text();
          if (/^payment_requests_total\{/m.test(text)) gatewayText = text;
        }
        await new Promise((r) => setTimeout(r, 25));
      }
    };
    const outcome = await runScenario(spec(out), {
      onStarted: ({ addresses }) => {
        url = addresses['harness metrics'];
        gatewayUrl = addresses['gateway-baseline'];
        scraping = scrape();
      },
    });
    stop = true;
    await scraping;

    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
    expect(outcome.results.status).toBe('completed');
    const fault = outcome.results.faults.find((f) => f.id === STEP.id)!;
    const activeMs = (fault.endS! - fault.startS) * 1000;

    // Absent before the step, 1 during, 0 after — and the run was still serving after it ended.
    const window = faultWindow(samples);
    expect(window.shape).toBe('-10');
    expect(samples.filter((s) => s.fault === 0).length).toBeGreaterThan(3);
    // 1 for as long as the step was active: never longer than it (plus the scrape's own latency),
    // and the scrapes on either side of the 1s bracket the whole step — bounds that hold however
    // far apart a loaded machine spaces the scrapes (a fixed slack flaked when it spaced them > 150 ms).
    expect(window.onMs).toBeLessThanOrEqual(activeMs + 50);
    expect(window.outerMs).toBeGreaterThanOrEqual(activeMs - 50);
    expect(window.onMs).toBeGreaterThan(0);

    // The driver's requests: counted as recorded, never decreasing, and no more than it recorded.
    const counts = samples.map((s) => s.requests);
    expect(counts.every((c, i) => i === 0 || c >= counts[i - 1]!)).toBe(true);
    const events = (await readFile(outcome.eventsPath, 'utf8')).split('\n').filter((l) => l.includes('"type":"payment"'));
    expect(counts.at(-1)!).toBeGreaterThan(events.length / 2);
    expect(counts.at(-1)!).toBeLessThanOrEqual(events.length);
    const last = samples.at(-1)!.text;
    const run = `paychaos_scenario="harness-metrics-test",paychaos_run="${outcome.results.runId}"`;
    const line = `paychaos_client_requests_total{payment_provider="stripe",payment_method="card",paychaos_variant="baseline",payment_outcome="succeeded",payment_error_code="",${run}} `;
    expect(last.split('\n').find((l) => l.startsWith(line)), line).toMatch(/ \d+$/);
    expect(last).toContain(`paychaos_fault_active{fault="slow-stripe",target="stripe",${run}}`);
    // Every series of the harness and of the run's gateway carries the run's scenario and id.
    expect(gatewayUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    for (const text of [last, gatewayText]) {
      const series = text.split('\n').filter((l) => l !== '' && !l.startsWith('#'));
      expect(series.length).toBeGreaterThan(10);
      expect(series.filter((l) => !l.includes(run))).toEqual([]);
    }
    // Seconds, on explicit second-scale buckets (not the SDK's millisecond defaults).
    expect(last).toMatch(/^paychaos_client_duration_seconds_bucket\{[^}]*le="0\.005"\} \d+$/m);
    expect(last).toMatch(/^paychaos_client_duration_seconds_bucket\{[^}]*le="30"\} \d+$/m);

    // Every payment names its shopper's trace; results keep the slowest ten with theirs.
    const payments = events.map((l) => JSON.parse(l) as { traceId?: string; orderId: string; latencyMs: number });
    expect(payments.every((p) => /^[0-9a-f]{32}$/.test(p.traceId ?? ''))).toBe(true);
    expect(new Set(payments.map((p) => p.traceId)).size).toBe(new Set(payments.map((p) => p.orderId)).size);
    const written = resultsSchema.parse(JSON.parse(await readFile(outcome.resultsPath, 'utf8')));
    const slowest = written.exemplars!.slowest;
    expect(slowest).toHaveLength(10);
    const tenth = [...payments].sort((a, b) => b.latencyMs - a.latencyMs)[9]!.latencyMs;
    for (const x of slowest) {
      expect(x.latencyMs).toBeGreaterThanOrEqual(tenth);
      expect(payments.find((p) => p.orderId === x.orderId)?.traceId).toBe(x.traceId);
    }
  }, 60_000);

  it('negative control: a gauge never set back to 0 fails the same window check', async () => {
    const h = new HarnessMetrics();
    const samples: Sample[] = [read(await h.text(), 0)];
    h.faultStarted(STEP);
    samples.push(read(await h.text(), 100), read(await h.text(), 200));
    // The step "ends" but nothing calls faultEnded: what a missing timeline hook would look like.
    samples.push(read(await h.text(), 300), read(await h.text(), 400));
    await h.close();
    expect(faultWindow(samples).shape).not.toBe('-10');
    expect(faultWindow(samples).onMs).toBeGreaterThan(200);
  });
});
