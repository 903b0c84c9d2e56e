import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { freePort } from '../../../src/kernel/index.js';

/**
 * The real Prometheus binary (Debian's 2.42: `apt-get install --no-install-recommends
 * prometheus`; PROMETHEUS_BIN overrides) run on the repository's own compose/prometheus.yml and
 * compose/rules/, with only what a test must change: 1 s scrape and evaluation, the targets'
 * addresses (jobs without one here are dropped), the rules' path, a temporary TSDB. So the
 * relabelling, honor_labels and recording rules under test are the shipped ones.
 */
export const PROMETHEUS_BIN = process.env.PROMETHEUS_BIN ?? '/usr/bin/prometheus';
export const prometheusAvailable = existsSync(PROMETHEUS_BIN);

const ROOT = join(import.meta.dirname, '../../..');

interface ScrapeConfig {
  job_name: string;
  static_configs: Array<{ targets: string[]; labels?: Record<string, string> }>;
  [key: string]: unknown;
}

/** compose/prometheus.yml with each compose target (`gateway-baseline:8080`) mapped to a real address; unmapped jobs dropped. */
export function localConfig(targets: Readonly<Record<string, string>>, rulesDir: string): string {
  const config = parse(readFileSync(join(ROOT, 'compose/prometheus.yml'), 'utf8')) as { global: Record<string, string>; rule_files: string[]; scrape_configs: ScrapeConfig[] };
  config.global = { ...config.global, scrape_interval: '1s', evaluation_interval: '1s' };
  config.rule_files = [join(rulesDir, '*.yml')];
  config.scrape_configs = config.scrape_configs
    .map((job) => ({ ...job, static_configs: job.static_configs.map((sc) => ({ ...sc, targets: sc.targets.flatMap((t) => (targets[t] ? [targets[t]] : [])) })).filter((sc) => sc.targets.length > 0) }))
    .filter((job) => job.static_configs.length > 0);
  return stringify(config, { aliasDuplicateObjects: false });
}

export interface StartedPrometheus {
  readonly url: string;
  /** The last 4 kB of its stderr, for failure messages. */
  log(): string;
  close(): Promise<void>;
}

export async function startPrometheus(targets: Readonly<Record<string, string>>, port?: number): Promise<StartedPrometheus> {
  const dir = await mkdtemp(join(tmpdir(), 'paychaos-observe-'));
  const rulesDir = join(dir, 'rules');
  await mkdir(rulesDir);
  for (const f of readdirSync(join(ROOT, 'compose/rules'))) await writeFile(join(rulesDir, f), readFileSync(join(ROOT, 'compose/rules', f)));
  await writeFile(join(dir, 'prometheus.yml'), localConfig(targets, rulesDir));
  const listen = port ?? (await freePort());
  const url = `http://127.0.0.1:${listen}`;
  let log = '';
  const child: ChildProcess = spawn(PROMETHEUS_BIN, [`--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${listen}`], { stdio: ['ignore', 'ignore', 'pipe'] });
  child.stderr?.on('data', (b: Buffer) => void (log = (log + b.toString()).slice(-4000)));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const close = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await exited;
    }
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await until(async () => (await fetch(`${url}/-/ready`).catch(() => undefined))?.status === 200, 15_000, () => `Prometheus never ready:\n${log}`);
  } catch (err) {
    await close();
    throw err;
  }
  return { url, log: () => log, close };
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
