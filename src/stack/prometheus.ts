import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { freePort, paychaosError } from '../kernel/index.js';
import { PACKAGE_ROOT } from './package-root.js';

/**
 * A local Prometheus beside a stack, without Docker: Debian's `prometheus` binary (2.42; the
 * PROMETHEUS_BIN variable or the `bin` option point elsewhere) run on the repository's own
 * compose/prometheus.yml and compose/rules/, so the relabelling, honor_labels and recording rules
 * the dashboards rely on are the shipped ones. Only what must differ changes: each compose target
 * (`gateway-baseline:8080`) becomes a real address (jobs with none here are dropped), the scrape
 * and evaluation intervals, the rules' path, a temporary TSDB removed on close.
 *
 * Used by `paychaos up --prometheus` (an SRE watches a drill in Prometheus's own UI) and by the
 * tests that run every dashboard query against a real Prometheus.
 */
export const DEFAULT_PROMETHEUS_BIN = '/usr/bin/prometheus';

/** The compose service addresses compose/prometheus.yml scrapes, to map onto local ones. */
export const PROMETHEUS_TARGETS = Object.freeze({
  gatewayBaseline: 'gateway-baseline:8080',
  gatewayCanary: 'gateway-canary:8080',
  toxiproxy: 'toxiproxy:8474',
  /** In compose the harness's metrics reach Prometheus through the collector; locally the harness serves them. */
  harness: 'otel-collector:8889',
  judge: 'judge:8787',
});

interface ScrapeConfig {
  job_name: string;
  static_configs: Array<{ targets: string[]; labels?: Record<string, string> }>;
  [key: string]: unknown;
}

export function prometheusBin(bin?: string): string {
  return bin ?? process.env.PROMETHEUS_BIN ?? DEFAULT_PROMETHEUS_BIN;
}

/** compose/prometheus.yml with each compose target mapped to a real `host:port`; unmapped targets and emptied jobs dropped. */
export function localPrometheusConfig(targets: Readonly<Record<string, string>>, rulesDir: string, intervalS = 1): string {
  const config = parse(readFileSync(join(PACKAGE_ROOT, 'compose/prometheus.yml'), 'utf8')) as { global: Record<string, string>; rule_files: string[]; scrape_configs: ScrapeConfig[] };
  config.global = { ...config.global, scrape_interval: `${intervalS}s`, evaluation_interval: `${intervalS}s` };
  config.rule_files = [join(rulesDir, '*.yml')];
  config.scrape_configs = config.scrape_configs
    .map((job) => ({ ...job, static_configs: job.static_configs.map((sc) => ({ ...sc, targets: sc.targets.flatMap((t) => (targets[t] ? [targets[t]] : [])) })).filter((sc) => sc.targets.length > 0) }))
    .filter((job) => job.static_configs.length > 0);
  return stringify(config, { aliasDuplicateObjects: false });
}

export interface PrometheusOptions {
  /** compose target (`gateway-baseline:8080`, see PROMETHEUS_TARGETS) → local `host:port`. */
  readonly targets: Readonly<Record<string, string>>;
  readonly port?: number;
  readonly bin?: string;
  /** Scrape and rule evaluation interval, seconds (default 1: a drill is short). */
  readonly intervalS?: number;
  /** The flag or setting that asked for it, named in errors (default `--prometheus`). */
  readonly setting?: string;
}

export interface StartedPrometheus {
  readonly url: string;
  readonly pid: number | undefined;
  /** The last 4 kB of its stderr, for failure messages. */
  log(): string;
  close(): Promise<void>;
}

/** Refuse up front, before anything starts, when there is no binary to run. */
export function checkPrometheusBin(setting = '--prometheus', bin?: string): string {
  const path = prometheusBin(bin);
  if (!existsSync(path)) throw paychaosError('PAYCHAOS_ERR_STACK_PROMETHEUS_MISSING', `${setting}: no Prometheus binary at ${path}`, { setting, bin: path });
  return path;
}

export async function startPrometheus(options: PrometheusOptions): Promise<StartedPrometheus> {
  const bin = checkPrometheusBin(options.setting, options.bin);
  const dir = await mkdtemp(join(tmpdir(), 'paychaos-prometheus-'));
  const rulesDir = join(dir, 'rules');
  await mkdir(rulesDir);
  for (const f of readdirSync(join(PACKAGE_ROOT, 'compose/rules'))) await copyFile(join(PACKAGE_ROOT, 'compose/rules', f), join(rulesDir, f));
  await writeFile(join(dir, 'prometheus.yml'), localPrometheusConfig(options.targets, rulesDir, options.intervalS ?? 1));
  const listen = options.port ?? (await freePort());
  const url = `http://127.0.0.1:${listen}`;
  let log = '';
  const child: ChildProcess = spawn(bin, [`--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${listen}`], { stdio: ['ignore', 'ignore', 'pipe'] });
  child.stderr?.on('data', (b: Buffer) => void (log = (log + b.toString()).slice(-4000)));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  // A spawn failure (not executable) arrives as 'error'; it must not be an unhandled event.
  let spawnError: Error | undefined;
  child.once('error', (err) => void (spawnError = err));
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> =>
    (closing ??= (async () => {
      if (child.exitCode === null && child.signalCode === null && !spawnError) {
        child.kill('SIGTERM');
        await exited;
      }
      await rm(dir, { recursive: true, force: true });
    })());
  try {
    const deadline = Date.now() + 15_000;
    for (;;) {
      if (spawnError) throw spawnError;
      if (child.exitCode !== null) throw new Error(`it exited with ${child.exitCode}`);
      if ((await fetch(`${url}/-/ready`).catch(() => undefined))?.status === 200) break;
      if (Date.now() > deadline) throw new Error('not ready within 15 s');
      await new Promise((r) => setTimeout(r, 200));
    }
  } catch (err) {
    await close();
    throw paychaosError('PAYCHAOS_ERR_STACK_START_FAILED', `Prometheus (${bin}) did not start: ${err instanceof Error ? err.message : String(err)}${log ? `\n${log.trim().split('\n').slice(-5).join('\n')}` : ''}`, { part: 'prometheus' }, { cause: err });
  }
  return { url, pid: child.pid, log: () => log, close };
}
