import { existsSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Structural checks of docker-compose.yml and the collector config — what can be known without
 * Docker. Each returns every problem found (empty: none), so the tests can show a broken variant
 * is caught, not just that the real file passes.
 */
export interface ComposeService {
  image?: string;
  build?: unknown;
  ports?: string[];
  volumes?: string[];
  depends_on?: string[] | Record<string, unknown>;
  network_mode?: string;
  command?: string[];
  profiles?: string[];
}
export interface ComposeFile {
  services: Record<string, ComposeService>;
}

/** Images built here carry this tag; every other image must name an exact version. */
const LOCAL_IMAGE = /^paychaos:local$/;

export function composeProblems(doc: ComposeFile, root: string, required: readonly string[]): string[] {
  const problems: string[] = [];
  const names = new Set(Object.keys(doc.services ?? {}));
  for (const r of required) if (!names.has(r)) problems.push(`services.${r}: missing`);
  const hostPorts = new Map<string, string>();
  for (const [name, s] of Object.entries(doc.services ?? {})) {
    const at = `services.${name}`;
    if (!s.image && !s.build) problems.push(`${at}: neither image nor build`);
    if (s.image && !LOCAL_IMAGE.test(s.image)) {
      const tag = /:([^/:@]+)$/.exec(s.image)?.[1];
      if (!tag || tag === 'latest' || !/\d/.test(tag)) problems.push(`${at}.image: "${s.image}" is not pinned to a version`);
    }
    for (const v of s.volumes ?? []) {
      const source = v.split(':')[0]!;
      if (source.startsWith('.') && !existsSync(join(root, source))) problems.push(`${at}.volumes: ${source} does not exist in the repository`);
    }
    for (const p of s.ports ?? []) {
      const host = String(p).split(':').slice(-2, -1)[0] ?? String(p);
      const other = hostPorts.get(host);
      if (other) problems.push(`${at}.ports: host port ${host} already published by ${other}`);
      hostPorts.set(host, name);
    }
    const deps = Array.isArray(s.depends_on) ? s.depends_on : Object.keys(s.depends_on ?? {});
    for (const d of deps) if (!names.has(d)) problems.push(`${at}.depends_on: ${d} is not a service`);
    if (s.network_mode?.startsWith('service:')) {
      const peer = s.network_mode.slice('service:'.length);
      if (!names.has(peer)) problems.push(`${at}.network_mode: ${peer} is not a service`);
      if (s.ports?.length) problems.push(`${at}.ports: a service in another's network namespace cannot publish ports`);
    }
  }
  return problems;
}

export interface CollectorConfig {
  receivers?: Record<string, unknown>;
  processors?: Record<string, unknown>;
  exporters?: Record<string, unknown>;
  connectors?: Record<string, unknown>;
  service: { pipelines: Record<string, { receivers?: string[]; processors?: string[]; exporters?: string[] }> };
}

/** Names the pinned contrib release (0.154.0) keeps only as deprecated aliases. */
const DEPRECATED_TYPES: Readonly<Record<string, string>> = { spanmetrics: 'span_metrics', otlphttp: 'otlp_http', prometheusremotewrite: 'prometheus_remote_write' };

export function collectorProblems(cfg: CollectorConfig): string[] {
  const problems: string[] = [];
  const typeOf = (id: string) => id.split('/')[0]!;
  const defined = (kind: 'receivers' | 'processors' | 'exporters' | 'connectors') => new Set(Object.keys(cfg[kind] ?? {}));
  const connectors = defined('connectors');
  const usedAs = { exporter: new Set<string>(), receiver: new Set<string>() };
  for (const kind of ['receivers', 'processors', 'exporters', 'connectors'] as const) {
    for (const id of defined(kind)) {
      const better = DEPRECATED_TYPES[typeOf(id)];
      if (better) problems.push(`${kind}.${id}: deprecated alias, use ${better}`);
    }
  }
  for (const [name, p] of Object.entries(cfg.service?.pipelines ?? {})) {
    const at = `service.pipelines.${name}`;
    if (!p.receivers?.length) problems.push(`${at}: no receivers`);
    if (!p.exporters?.length) problems.push(`${at}: no exporters`);
    for (const r of p.receivers ?? []) {
      if (connectors.has(r)) usedAs.receiver.add(r);
      else if (!defined('receivers').has(r)) problems.push(`${at}.receivers: ${r} is not defined`);
    }
    for (const x of p.processors ?? []) if (!defined('processors').has(x)) problems.push(`${at}.processors: ${x} is not defined`);
    for (const e of p.exporters ?? []) {
      if (connectors.has(e)) usedAs.exporter.add(e);
      else if (!defined('exporters').has(e)) problems.push(`${at}.exporters: ${e} is not defined`);
    }
  }
  // A connector is the exporter of one pipeline and the receiver of another, or it does nothing.
  for (const c of connectors) if (!usedAs.exporter.has(c) || !usedAs.receiver.has(c)) problems.push(`connectors.${c}: must be an exporter of one pipeline and a receiver of another`);
  return problems;
}
