import { existsSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isPaychaosError } from '../../../../src/kernel/index.js';
import { supervisedProcesses } from '../../../../src/stack/index.js';
import { startSimulator } from '../../../../simulators/index.js';
import { bundledWireMockProviders, findJava, loadStubs, resolveStubsDir, startWireMock, wiremockJar } from '../../../../simulators/wiremock/index.js';

/** This machine's PATH without any folder that holds a `java`. */
const pathWithoutJava = (process.env.PATH ?? '').split(delimiter).filter((d) => d && !existsSync(join(d, 'java'))).join(delimiter);

async function stubDir(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'paychaos-stubs-'));
  for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
  return dir;
}

describe('WireMock prerequisites', () => {
  it('fails with PAYCHAOS_ERR_WIREMOCK_JAVA_MISSING naming what to install when no java is on PATH', async () => {
    const env = { PATH: pathWithoutJava };
    expect(() => findJava(env)).toThrow(expect.objectContaining({ code: 'PAYCHAOS_ERR_WIREMOCK_JAVA_MISSING', exitCode: 3 }));
    const err = await startWireMock({ stubsDir: resolveStubsDir('localwallet'), env, processes: supervisedProcesses }).catch((e: unknown) => e);
    expect(isPaychaosError(err, 'PAYCHAOS_ERR_WIREMOCK_JAVA_MISSING')).toBe(true);
    expect((err as Error).message).toContain('openjdk-17-jre-headless');
    expect((err as { hint: string }).hint).toContain('Java 17');
  });

  it('fails with PAYCHAOS_ERR_SIM_BAD_OPTION naming `processes` when no host for the JVM is given, before anything starts', async () => {
    // Simulators import only the kernel: the caller must hand over the stack's supervisedProcesses.
    const direct = await startWireMock({ stubsDir: resolveStubsDir('localwallet') } as Parameters<typeof startWireMock>[0]).catch((e: unknown) => e);
    const named = await startSimulator('wiremock:localwallet').catch((e: unknown) => e);
    for (const err of [direct, named]) {
      expect(isPaychaosError(err, 'PAYCHAOS_ERR_SIM_BAD_OPTION')).toBe(true);
      expect((err as { details: unknown }).details).toEqual({ option: 'processes' });
      expect((err as Error).message).toContain('supervisedProcesses');
    }
    expect((named as Error).message).toMatch(/^wiremock:localwallet processes: missing/);
    // The control: with the host given, the same call gets past the check (to Java, kept off PATH
    // so that no JVM starts here).
    const withHost = await startWireMock({ stubsDir: resolveStubsDir('localwallet'), env: { PATH: pathWithoutJava }, processes: supervisedProcesses }).catch((e: unknown) => e);
    expect(isPaychaosError(withHost, 'PAYCHAOS_ERR_WIREMOCK_JAVA_MISSING')).toBe(true);
  });

  it('prefers $JAVA_HOME/bin/java, and finds java on PATH otherwise', () => {
    expect(findJava({ PATH: process.env.PATH })).toMatch(/java$/);
    expect(() => findJava({ PATH: pathWithoutJava, JAVA_HOME: '/nonexistent/jdk' })).toThrow(/JAVA_HOME \(\/nonexistent\/jdk\)/);
  });

  it('finds the WireMock jar shipped inside the wiremock npm package', () => {
    expect(wiremockJar()).toMatch(/node_modules\/wiremock\/build\/wiremock-standalone-3\.13\.2\.jar$/);
  });
});

describe('WireMock stub files', () => {
  it('loads the bundled example, every file in name order', async () => {
    expect(bundledWireMockProviders()).toContain('localwallet');
    const stubs = await loadStubs(resolveStubsDir('localwallet'));
    expect(stubs[0]).toMatchObject({ file: '01-create-charge.json', request: { method: 'POST', endpoint: '/v1/charges' } });
    expect(stubs.map((s) => s.file)).toContain('03-charge-status.json[1]');
  });

  it('reports every bad stub at once with its file and path', async () => {
    const dir = await stubDir({
      'a.json': '{ not json',
      'b.json': JSON.stringify([{ request: { method: 'FETCH', endpoint: '/x' }, response: { status: 200 } }, { request: { method: 'GET', endpoint: '/y' }, response: { status: 200 }, extra: 1 }]),
    });
    const err = await loadStubs(dir).catch((e: unknown) => e);
    expect(isPaychaosError(err, 'PAYCHAOS_ERR_WIREMOCK_BAD_STUB')).toBe(true);
    const message = (err as Error).message;
    for (const part of ['a.json: not JSON', 'b.json[0] request.method', 'b.json[1] (root): ']) expect(message).toContain(part);
  });

  it('names an unknown provider with the bundled ones, and resolves a folder path as given', () => {
    expect(() => resolveStubsDir('nosuchwallet')).toThrow(expect.objectContaining({ code: 'PAYCHAOS_ERR_SIM_UNKNOWN_PROVIDER', message: expect.stringContaining('localwallet') }));
    expect(resolveStubsDir('./stubs/acme', '/srv')).toBe('/srv/stubs/acme');
    expect(resolveStubsDir('/abs/acme')).toBe('/abs/acme');
  });
});
