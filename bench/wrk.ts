/**
 * Debian's `wrk` for the proxy benchmark: found on PATH or installed (root only), run, and its
 * report parsed (requests/s and the p99 of `--latency`).
 */
import { spawn, spawnSync } from 'node:child_process';

/** wrk on PATH, installing Debian's package when we may; undefined (with the reason printed) otherwise. */
export function ensureWrk(): string | undefined {
  const found = spawnSync('sh', ['-c', 'command -v wrk'], { encoding: 'utf8' });
  if (found.status === 0) return found.stdout.trim();
  if (process.getuid?.() !== 0) {
    console.error('wrk is not installed and this is not root: install it (Debian/Ubuntu: sudo apt-get install -y wrk) and run again');
    return undefined;
  }
  console.log('wrk not found: installing Debian\'s package (apt-get install -y wrk)…');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const install = spawnSync('sh', ['-c', 'apt-get install -y wrk || (apt-get update && apt-get install -y wrk)'], { stdio: 'inherit', env });
  if (install.status !== 0) {
    console.error(`apt-get could not install wrk (exit ${install.status}): install it by hand and run again`);
    return undefined;
  }
  return spawnSync('sh', ['-c', 'command -v wrk'], { encoding: 'utf8' }).stdout.trim() || undefined;
}

export interface WrkResult {
  readonly rps: number;
  readonly p99us: number;
}

/** wrk's `Requests/sec:` and the 99 % line of its `--latency` distribution. */
export function parseWrk(output: string): WrkResult {
  const rps = /Requests\/sec:\s+([\d.]+)/.exec(output);
  const p99 = /^\s*99%\s+([\d.]+)(us|ms|s)\s*$/m.exec(output);
  if (!rps || !p99) throw new Error(`unexpected wrk output:\n${output}`);
  const unit = { us: 1, ms: 1000, s: 1_000_000 }[p99[2] as 'us' | 'ms' | 's'];
  return { rps: Number(rps[1]), p99us: Number(p99[1]) * unit };
}

/** One wrk run: `threads` threads holding `connections` keep-alive connections for `seconds`. */
export function wrk(path: string, url: string, o: { threads: number; connections: number; seconds: number }): Promise<WrkResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(path, [`-t${o.threads}`, `-c${o.connections}`, `-d${o.seconds}s`, '--latency', url], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString('utf8')));
    child.once('error', reject);
    child.once('close', (code) => (code === 0 ? resolve(parseWrk(out)) : reject(new Error(`wrk exited with ${code}:\n${out}`))));
  });
}

