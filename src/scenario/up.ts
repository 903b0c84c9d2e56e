import { join, resolve } from 'node:path';
import { prepareOutDir, writeFileAtomic } from '../report/index.js';
import { buildStack, newRunId, OTLP_HTTP_PORT, type BuiltStack, type StackSpec } from '../run/index.js';
import { ATTACH_FILE, PROMETHEUS_TARGETS, attachDocument, checkPrometheusBin, startPrometheus, type CrashListener, type StartedPrometheus } from '../stack/index.js';
import type { Scenario } from './format/index.js';
import { toRunSpec } from './to-run-spec.js';

export interface UpOptions {
  paychaosVersion: string;
  /** The providers to run when no scenario names them. */
  providers?: readonly string[];
  /** Start the stack a scenario describes (its providers, gateways, seed, clocks). */
  scenario?: Scenario;
  /** Start no reference gateway: only simulators and proxies, for your own gateway. */
  noGateway?: boolean;
  /** Default `paychaos-results/<id>`: stack.json, attach.json, providers.env and every part's log. */
  outDir?: string;
  signal?: AbortSignal;
  onCrash?: CrashListener;
  /** Start a local Prometheus (src/stack/prometheus.ts) scraping the stack, for a drill watched live. */
  prometheus?: boolean;
}

export interface Up {
  readonly runId: string;
  readonly outDir: string;
  readonly stack: BuiltStack;
  readonly attachPath: string;
  readonly envPath: string;
  /** The local Prometheus's UI and API, when asked for. */
  readonly prometheusUrl?: string;
  close(): Promise<void>;
}

/**
 * `paychaos up`: a stack that stays up — every simulator behind its Toxiproxy proxy and, unless
 * asked not to, the reference gateway — for your own checkout to charge through while you write
 * and run scenarios against it. It writes what another process needs to use it:
 *
 *   <out>/attach.json   for `paychaos run --attach <out> --target <your gateway>`
 *   <out>/providers.env PAYCHAOS_<PROVIDER>_URL=… (the proxied address) for your gateway's config
 */
export async function startUp(options: UpOptions): Promise<Up> {
  if (options.prometheus) checkPrometheusBin();
  const runId = newRunId('up');
  const outDir = resolve(options.outDir ?? join('paychaos-results', runId));
  // The gateways' databases and every part's log go there: it must exist before they start.
  await prepareOutDir(outDir);
  const spec: StackSpec = options.scenario
    ? toRunSpec(options.scenario, { paychaosVersion: options.paychaosVersion }).stack
    : { providers: options.providers ?? DEFAULT_PROVIDERS, simulator: { shopperApprovesAfterMs: 200 }, simulators: 'child', systems: [{ variant: 'baseline', mode: 'child', config: { variant: 'baseline', version: options.paychaosVersion } }] };
  // The gateways you point at this stack export their spans here (the OTLP/HTTP default port when free).
  const withTelemetry: StackSpec = { ...spec, telemetry: { port: OTLP_HTTP_PORT, ...spec.telemetry } };
  const stack = await buildStack(options.noGateway ? { ...withTelemetry, systems: [] } : withTelemetry, {
    runId,
    // The stack's gateways label their series with it (paychaos_scenario), as a run's do.
    ...(options.scenario ? { scenario: options.scenario.file.name } : {}),
    outDir,
    ...(options.onCrash ? { onCrash: options.onCrash } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  let prometheus: StartedPrometheus | undefined;
  try {
    const gateways = Object.fromEntries(Object.entries(stack.systems).map(([variant, s]) => [variant, s!.url]));
    const attachPath = join(outDir, ATTACH_FILE);
    await writeFileAtomic(attachPath, `${JSON.stringify(attachDocument(runId, stack.providers, gateways, stack.telemetry?.endpoint), null, 2)}\n`);
    const envPath = join(outDir, 'providers.env');
    await writeFileAtomic(envPath, providersEnv(stack));
    prometheus = options.prometheus ? await startPrometheus({ targets: prometheusTargets(stack) }) : undefined;
    const close = async (): Promise<void> => {
      await prometheus?.close();
      await stack.close();
    };
    return { runId, outDir, stack, attachPath, envPath, ...(prometheus ? { prometheusUrl: prometheus.url } : {}), close };
  } catch (err) {
    await prometheus?.close();
    await stack.close();
    throw err;
  }
}

/** The compose addresses compose/prometheus.yml scrapes, mapped onto this stack's parts. */
export function prometheusTargets(stack: BuiltStack): Record<string, string> {
  const hostPort = (url: string) => new URL(url).host;
  const targets: Record<string, string> = { [PROMETHEUS_TARGETS.toxiproxy]: hostPort(stack.providers.chaos.url) };
  if (stack.systems.baseline) targets[PROMETHEUS_TARGETS.gatewayBaseline] = hostPort(stack.systems.baseline.url);
  if (stack.systems.canary) targets[PROMETHEUS_TARGETS.gatewayCanary] = hostPort(stack.systems.canary.url);
  return targets;
}

/** The native simulators: what the reference gateway speaks without Java. */
const DEFAULT_PROVIDERS: readonly string[] = ['stripe', 'adyen', 'alipay', 'wechatpay', 'paypal', 'unionpay'];

/** `PAYCHAOS_STRIPE_URL=http://127.0.0.1:…` per provider: the proxied address, so faults reach your gateway's calls. */
export function providersEnv(stack: BuiltStack): string {
  const lines = ['# paychaos up: the providers your gateway charges through (through their fault proxies).', '# Merchant credentials of a native simulator: GET <PAYCHAOS_<P>_DIRECT_URL>/__sim/keys'];
  for (const p of Object.values(stack.providers.providers)) {
    const name = p.provider.toUpperCase().replace(/[^A-Z0-9]/g, '_');
    lines.push(`PAYCHAOS_${name}_URL=${p.url}`, `PAYCHAOS_${name}_DIRECT_URL=${p.directUrl}`);
  }
  lines.push(`PAYCHAOS_TOXIPROXY_URL=${stack.providers.chaos.url}`);
  // Only when paychaos receives telemetry itself: with a collector configured, your gateway keeps exporting there.
  if (stack.telemetry) lines.push('# Your gateway\'s OpenTelemetry SDK: export spans to paychaos (OTLP/HTTP, protobuf or JSON).', `OTEL_EXPORTER_OTLP_ENDPOINT=${stack.telemetry.endpoint}`);
  return `${lines.join('\n')}\n`;
}
