import { spawn } from 'node:child_process';
import { createConnection } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const CLI = join(process.cwd(), 'dist/src/cli/main.js');

/** Start a built server command, wait for the URL it prints, stop it with a signal. */
async function stopWith(argv: string[], signal: NodeJS.Signals): Promise<{ code: number | null; port: number }> {
  const child = spawn(process.execPath, [CLI, ...argv], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const deadline = Date.now() + 15_000;
  let port = 0;
  while (Date.now() < deadline) {
    const m = /http:\/\/127\.0\.0\.1:(\d+)/.exec(out);
    if (m) {
      port = Number(m[1]);
      break;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  if (!port) child.kill('SIGKILL');
  expect(port, out).toBeGreaterThan(0);
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  child.kill(signal);
  return { code: await exited, port };
}

function refused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createConnection({ host: '127.0.0.1', port });
    s.once('connect', () => (s.destroy(), resolve(false)));
    s.once('error', () => resolve(true));
  });
}

describe('long-running servers end with exit 0 on SIGINT and SIGTERM, their port freed (docs/errors.md)', () => {
  it.each([
    [['sim', 'stripe', '--port', '0'], 'SIGINT'],
    [['proxy', '--port', '0'], 'SIGTERM'],
    [['proxy', '--port', '0'], 'SIGINT'],
  ] as Array<[string[], NodeJS.Signals]>)('%j on %s', async (argv, signal) => {
    const { code, port } = await stopWith(argv, signal);
    expect(code).toBe(0);
    expect(await refused(port)).toBe(true);
  }, 30_000);
});
