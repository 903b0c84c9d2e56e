import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';

const K8S = join(import.meta.dirname, '../../../load/k8s');
const load = (file: string): Record<string, any> => {
  const docs = parseAllDocuments(readFileSync(join(K8S, file), 'utf8'));
  for (const d of docs) expect(d.errors, `${file}: ${d.errors.join('; ')}`).toEqual([]);
  expect(docs).toHaveLength(1);
  return docs[0]!.toJSON() as Record<string, any>;
};

describe('the k6-operator manifests', () => {
  const testRun = load('testrun.yaml');
  const kustomization = load('kustomization.yaml');
  const pvc = load('results-pvc.yaml');

  it('declare a TestRun with the fields k6-operator requires', () => {
    expect(testRun.apiVersion).toBe('k6.io/v1alpha1');
    expect(testRun.kind).toBe('TestRun');
    expect(testRun.metadata.name).toMatch(/^[a-z0-9-]+$/);
    expect(Number.isInteger(testRun.spec.parallelism) && testRun.spec.parallelism >= 1).toBe(true);
    expect(testRun.spec.script.configMap).toEqual({ name: expect.any(String), file: expect.stringMatching(/\.(js|tar)$/) });
  });

  it('use the parallelism the guide computes for 583,000/s at 5,000 shoppers/s per pod', () => {
    expect(testRun.spec.parallelism).toBe(Math.ceil(583_000 / 5_000));
    expect(readFileSync(join(K8S, 'README.md'), 'utf8')).toContain(`N = ⌈583,000 / 5,000⌉ = ${testRun.spec.parallelism}`);
  });

  it('build the ConfigMap the TestRun reads, from the archive the guide tells you to make', () => {
    const generator = kustomization.configMapGenerator.find((g: { name: string }) => g.name === testRun.spec.script.configMap.name);
    expect(generator.files).toEqual([testRun.spec.script.configMap.file]);
    expect(generator.options.disableNameSuffixHash).toBe(true);
    expect(readFileSync(join(K8S, 'README.md'), 'utf8')).toContain(`k6 archive -e SCALE=1 load/singles-day.js -O load/k8s/${testRun.spec.script.configMap.file}`);
    expect(kustomization.resources).toEqual(expect.arrayContaining(['testrun.yaml', 'results-pvc.yaml']));
  });

  it('pass every runner one run id, the shape, Prometheus remote write and a per-pod JSON output', () => {
    const args: string = testRun.spec.arguments;
    expect(args).toMatch(/-e SCALE=1\b/);
    expect(args).toMatch(/-e RUN_ID=[A-Za-z0-9_-]+/);
    // The same labels a local k6 gets from paychaos (k6Argv), naming the same run id: the
    // dashboards' run variable selects every pod's series.
    const runId = /-e RUN_ID=([A-Za-z0-9_-]+)/.exec(args)![1];
    expect(args).toContain(`--tag paychaos_run=${runId}`);
    expect(args).toContain(`--tag testid=${runId}`);
    expect(args).toMatch(/--tag paychaos_scenario=[a-z0-9-]+/);
    expect(args).toMatch(/-e BASELINE_URL=http:\/\//);
    expect(args).toContain('--out experimental-prometheus-rw');
    expect(args).toContain('--out json=/results/out.json.gz');
    const env = Object.fromEntries(testRun.spec.runner.env.map((e: { name: string; value?: string }) => [e.name, e.value]));
    expect(env.K6_PROMETHEUS_RW_SERVER_URL).toMatch(/\/api\/v1\/write$/);
    const mount = testRun.spec.runner.volumeMounts[0];
    expect(mount).toMatchObject({ mountPath: '/results', subPathExpr: '$(POD_NAME)' });
    expect(testRun.spec.runner.volumes[0].persistentVolumeClaim.claimName).toBe(pvc.metadata.name);
    expect(pvc.spec.accessModes).toEqual(['ReadWriteMany']);
  });

  it('pin a k6 image no older than the API the scripts use (v0.48)', () => {
    const [major, minor] = /grafana\/k6:(\d+)\.(\d+)/.exec(testRun.spec.runner.image)!.slice(1).map(Number) as [number, number];
    expect(major > 0 || minor >= 48).toBe(true);
  });

  it('is plain YAML that any parser reads the same way', () => {
    expect(parse(readFileSync(join(K8S, 'testrun.yaml'), 'utf8'))).toEqual(testRun);
  });
});
