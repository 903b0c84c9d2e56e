import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WireMock } from 'wiremock-captain';
import { isPaychaosError, paychaosError, freePort } from '../../src/kernel/index.js';
import { findJava } from './java.js';
import { wiremockJar } from './jar.js';
import type { ProcessCrashListener, ProcessHost, ProcessHosting } from './process-host.js';
import { loadStubs, type StubDefinition } from './stubs.js';

/**
 * A real WireMock (the standalone jar of the `wiremock` npm package, run with `java -jar`),
 * supervised like any child of the stack (through the host its caller gives, see process-host.ts),
 * serving a provider described as stubs:
 *
 *   findJava ─▶ load + check every stub file ─▶ spawn java -jar (127.0.0.1, free port, empty
 *   root dir) ─▶ wait for /__admin/health ─▶ register each stub through wiremock-captain
 *
 * `close()` stops the JVM (its whole process group: SIGTERM, then SIGKILL) and removes its root
 * folder; the host's exit hook kills it even if the process dies without closing.
 */
export interface WireMockOptions {
  /** The folder of stub files (see stubs.ts). */
  stubsDir: string;
  /** Name used in logs and for the part (default `wiremock`). */
  name?: string;
  /** The provider named by `GET /__sim/health` (default: `name`). */
  provider?: string;
  host?: string;
  /** 0 (default) picks a free port. */
  port?: number;
  /** Bounded start-up: the JVM usually answers within 2–5 s. */
  readyTimeoutMs?: number;
  /** Environment for finding Java (PATH, JAVA_HOME) and for the JVM; default process.env. */
  env?: Readonly<Record<string, string | undefined>>;
  /** Where the JVM's output goes (`<name>.log`). */
  logDir?: string;
  /** Runs and supervises the JVM and owns its root folder: the stack's `supervisedProcesses`. */
  processes: ProcessHosting;
}

export interface StartedWireMock extends AsyncDisposable {
  readonly url: string;
  readonly host: string;
  readonly port: number;
  /** The admin API (`${url}/__admin`). */
  readonly adminUrl: string;
  readonly stubsDir: string;
  readonly stubs: readonly StubDefinition[];
  /** The wiremock-captain client, for requests, scenarios and more stubs at run time. */
  readonly client: WireMock;
  readonly pid: number | undefined;
  /** Called if the JVM dies unasked while it should be serving (the stack reports it at once). */
  onCrash(listener: ProcessCrashListener): () => void;
  close(): Promise<void>;
}

const PORT_ATTEMPTS = 3;

export async function startWireMock(options: WireMockOptions): Promise<StartedWireMock> {
  const processes = requireProcessHosting(options.processes, options.name ?? 'wiremock');
  const env = options.env ?? process.env;
  const java = findJava(env);
  const jar = wiremockJar();
  const stubs = await loadStubs(options.stubsDir);
  const host = options.host ?? '127.0.0.1';
  const name = options.name ?? 'wiremock';
  // WireMock loads mappings/ and __files/ from its root; an empty one keeps stray files out.
  const root = await mkdtemp(join(tmpdir(), 'paychaos-wiremock-'));
  const disown = processes.ownTempDir(root);
  const processHost = processes.open({ closeTimeoutMs: 5000, ...(options.logDir ? { logDir: options.logDir } : {}) });
  const close = async (): Promise<void> => {
    await processHost.close();
    await rm(root, { recursive: true, force: true });
    disown();
  };
  try {
    const { port, pid } = await spawn(processHost, { java, jar, host, root, name, env, options });
    const url = `http://${host}:${port}`;
    const client = new WireMock(url);
    await register(client, stubs, options.stubsDir);
    // The health route every simulator answers, so readiness checks treat WireMock providers alike.
    await client.register({ method: 'GET', endpoint: '/__sim/health' }, { status: 200, body: { ok: true, provider: options.provider ?? name } }, { stubPriority: 1 });
    let closing: Promise<void> | undefined;
    const once = (): Promise<void> => (closing ??= close());
    const onCrash = (listener: ProcessCrashListener): (() => void) => processHost.onCrash(listener);
    return { url, host, port, adminUrl: `${url}/__admin`, stubsDir: options.stubsDir, stubs, client, pid, onCrash, close: once, [Symbol.asyncDispose]: once };
  } catch (err) {
    await close();
    throw err;
  }
}

interface SpawnArgs {
  java: string;
  jar: string;
  host: string;
  root: string;
  name: string;
  env: Readonly<Record<string, string | undefined>>;
  options: WireMockOptions;
}

async function spawn(processHost: ProcessHost, a: SpawnArgs): Promise<{ port: number; pid: number | undefined }> {
  for (let attempt = 1; ; attempt++) {
    const port = a.options.port || (await freePort(a.host));
    try {
      const child = await processHost.spawn(attempt === 1 ? a.name : `${a.name}-${attempt}`, {
        command: a.java,
        args: ['-jar', a.jar, '--bind-address', a.host, '--port', String(port), '--root-dir', a.root, '--disable-banner', '--global-response-templating'],
        env: Object.fromEntries(Object.entries(a.env).filter((e): e is [string, string] => e[1] !== undefined)),
        readiness: { http: `http://${a.host}:${port}/__admin/health` },
        readyTimeoutMs: a.options.readyTimeoutMs ?? 30_000,
        url: `http://${a.host}:${port}`,
      });
      return { port, pid: child.pid };
    } catch (err) {
      // Another process may take a free port between the probe and the JVM binding it: try another.
      const portTaken = isPaychaosError(err, 'PAYCHAOS_ERR_STACK_CHILD_CRASHED') && /Address already in use|BindException/i.test(err.message);
      if (!portTaken || a.options.port || attempt >= PORT_ATTEMPTS) throw err;
    }
  }
}

/** A missing host (JavaScript callers, or an optional field left out) is named with its fix, not a TypeError. */
export function requireProcessHosting(processes: ProcessHosting | undefined, who: string): ProcessHosting {
  if (typeof processes?.open !== 'function' || typeof processes.ownTempDir !== 'function') {
    throw paychaosError('PAYCHAOS_ERR_SIM_BAD_OPTION', `${who} processes: missing; pass the stack's \`supervisedProcesses\` (src/stack), which runs and supervises the JVM and owns its root folder`, { option: 'processes' });
  }
  return processes;
}

async function register(client: WireMock, stubs: readonly StubDefinition[], dir: string): Promise<void> {
  for (const stub of stubs) {
    try {
      await client.register(stub.request, stub.response, stub.features);
    } catch (err) {
      const detail = (err as { response?: { data?: unknown } }).response?.data;
      throw paychaosError('PAYCHAOS_ERR_WIREMOCK_BAD_STUB', `WireMock refused ${stub.file}: ${detail ? JSON.stringify(detail) : (err as Error).message}`, { dir, file: stub.file }, { cause: err });
    }
  }
}
