import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { parseGatewayConfig } from '../../../gateway/index.js';
import { collectorProblems, composeProblems, type CollectorConfig, type ComposeFile } from './compose-check.js';

/**
 * docker-compose.yml, compose/ and the Dockerfile, checked without Docker: the structure
 * (compose-check.ts, each rule with a broken variant below), and the wiring between files — the
 * gateways' configs parse and reach the simulators through the proxies the toxiproxy config
 * makes, Prometheus scrapes services and ports that exist, promtool accepts its config.
 */
const ROOT = join(import.meta.dirname, '../../..');
const read = (p: string) => readFileSync(join(ROOT, p), 'utf8');
const compose = parse(read('docker-compose.yml'), { merge: true }) as ComposeFile;
const collector = parse(read('compose/otel-collector.yaml')) as CollectorConfig;
const REQUIRED = ['toxiproxy', 'sim-stripe', 'sim-adyen', 'gateway-baseline', 'gateway-canary', 'otel-collector', 'tempo', 'prometheus', 'grafana', 'judge', 'paychaos'];

describe('docker-compose.yml', () => {
  it('has every part of the stack, each with an image or a build, images pinned, mounts present, host ports unique, dependencies real', () => {
    expect(composeProblems(compose, ROOT, REQUIRED)).toEqual([]);
  });

  it('the control: a missing mount, a duplicate port, an unpinned image, an unknown dependency and a missing service are each reported', () => {
    const broken: ComposeFile = structuredClone(compose);
    broken.services.prometheus!.volumes = ['./compose/nope.yml:/etc/prometheus/prometheus.yml:ro'];
    broken.services.grafana!.ports = ['9090:3000'];
    broken.services.tempo!.image = 'grafana/tempo:latest';
    broken.services.judge!.depends_on = ['prometheos'];
    delete broken.services['sim-adyen'];
    expect(composeProblems(broken, ROOT, REQUIRED)).toEqual(
      expect.arrayContaining([
        'services.sim-adyen: missing',
        'services.prometheus.volumes: ./compose/nope.yml does not exist in the repository',
        expect.stringMatching(/^services\.(grafana|prometheus)\.ports: host port 9090 already published/),
        'services.tempo.image: "grafana/tempo:latest" is not pinned to a version',
        'services.judge.depends_on: prometheos is not a service',
      ]),
    );
  });

  it('builds paychaos from the Dockerfile on node:20 with npm ci && npm run build', () => {
    const dockerfile = read('Dockerfile');
    expect(dockerfile).toMatch(/^FROM node:20\.\d+/m);
    expect(dockerfile).toMatch(/npm ci && npm run build/);
    for (const s of Object.values(compose.services)) if (s.build !== undefined) expect(s.build).toBe('.');
  });

  it('gateways parse as gateway configs and reach each provider through a proxy that toxiproxy.json creates, in front of the simulator\'s port', () => {
    const proxies = JSON.parse(read('compose/toxiproxy.json')) as Array<{ name: string; listen: string; upstream: string }>;
    const simPorts = Object.entries(compose.services).filter(([, s]) => s.command?.[0] === 'sim').map(([, s]) => [s.command![1], s.command![s.command!.indexOf('--port') + 1]]);
    for (const [provider, port] of simPorts) expect(proxies.find((p) => p.name === provider)?.upstream).toBe(`127.0.0.1:${port}`);
    for (const v of ['baseline', 'canary']) {
      const config = parseGatewayConfig(parse(read(`compose/gateway-${v}.yaml`)));
      expect(config.variant).toBe(v);
      expect(config.host).toBe('0.0.0.0');
      for (const [name, c] of Object.entries(config.providers)) {
        const port = new URL((c as { url: string }).url).port;
        expect(proxies.find((p) => p.name === name)?.listen, `${v}: ${name}`).toBe(`0.0.0.0:${port}`);
      }
    }
  });

  it('Prometheus scrapes services and ports that exist in the compose file', () => {
    const prom = parse(read('compose/prometheus.yml')) as { scrape_configs: Array<{ static_configs: Array<{ targets: string[] }> }> };
    const targets = prom.scrape_configs.flatMap((j) => j.static_configs.flatMap((s) => s.targets));
    for (const t of targets) {
      const [host, port] = t.split(':');
      expect(compose.services[host!], t).toBeDefined();
      const s = compose.services[host!]!;
      const published = (s.ports ?? []).map((p) => String(p).split(':').at(-1));
      const commandPort = s.command?.[s.command.indexOf('--port') + 1];
      const gatewayPort = host!.startsWith('gateway-') ? '8080' : undefined;
      expect([...published, commandPort, gatewayPort], t).toContain(port);
    }
  });

  it.skipIf(!existsSync('/usr/bin/promtool'))('promtool accepts compose/prometheus.yml and its rules', () => {
    const dir = mkdtempSync(join(tmpdir(), 'paychaos-promtool-'));
    try {
      writeFileSync(join(dir, 'prometheus.yml'), read('compose/prometheus.yml').replace('/etc/prometheus/rules/*.yml', join(ROOT, 'compose/rules/*.yml')));
      const out = execFileSync('/usr/bin/promtool', ['check', 'config', join(dir, 'prometheus.yml')], { encoding: 'utf8' });
      expect(out).toMatch(/SUCCESS: \d+ rules found/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('compose/otel-collector.yaml', () => {
  it('every pipeline uses defined receivers, processors, exporters; the span_metrics connector joins traces to metrics; no deprecated aliases', () => {
    expect(collectorProblems(collector)).toEqual([]);
    expect(Object.keys(collector.connectors ?? {})).toContain('span_metrics');
  });

  it('the control: an undefined exporter, a dangling connector and a deprecated alias are each reported', () => {
    const broken: CollectorConfig = structuredClone(collector);
    broken.service.pipelines.traces!.exporters = ['otlp_http/tempo', 'otlp_http/nowhere'];
    broken.service.pipelines.metrics!.receivers = ['otlp'];
    broken.connectors = { ...broken.connectors, spanmetrics: {} };
    expect(collectorProblems(broken)).toEqual(
      expect.arrayContaining([
        'service.pipelines.traces.exporters: otlp_http/nowhere is not defined',
        'connectors.span_metrics: must be an exporter of one pipeline and a receiver of another',
        'connectors.spanmetrics: deprecated alias, use span_metrics',
      ]),
    );
  });
});
