import { chmod, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A stand-in `k6` executable for launcher tests (no real k6 can be installed here). It does not
 * load or run any script: it replays a recorded k6 v0.48 `--out json` file into the path given
 * by `--out json=…`, in chunks that cut lines in half, the way a live k6 appends. FAKE_K6_MODE:
 *   replay       replay, exit 0
 *   thresholds   replay, exit 99 (k6's "thresholds have failed")
 *   crash        print a script error, exit 107 (k6's ScriptException)
 *   interrupt    replay half, then wait for SIGINT and exit 105 (k6's ExternalAbort)
 * The argv it got is written to FAKE_K6_ARGV.
 */
const SOURCE = `#!${process.execPath}
const fs = require('node:fs');
const args = process.argv.slice(2);
if (process.env.FAKE_K6_ARGV) fs.writeFileSync(process.env.FAKE_K6_ARGV, JSON.stringify(args));
const mode = process.env.FAKE_K6_MODE || 'replay';
if (mode === 'crash') {
  process.stderr.write('ERRO[0000] ReferenceError: paymnt is not defined at default (file:///load/payments.js:12:3)\\n');
  process.exit(107);
}
const out = args[args.indexOf('--out') + 1].replace(/^json=/, '');
const data = fs.readFileSync(process.env.FAKE_K6_REPLAY);
const stop = mode === 'interrupt' ? Math.floor(data.length / 2) : data.length;
const fd = fs.openSync(out, 'w');
// Like k6, stop on SIGINT at any moment (it writes its summary, then exits 105).
if (mode === 'interrupt') process.on('SIGINT', () => { fs.closeSync(fd); process.exit(105); });
let at = 0;
const chunk = 997; // not a line length: every write ends mid-line
function step() {
  if (at >= stop) return finish();
  const end = Math.min(stop, at + chunk);
  fs.writeSync(fd, data.subarray(at, end));
  at = end;
  setTimeout(step, 2);
}
function finish() {
  process.stdout.write('running (00m02.0s), 00/10 VUs, 81 complete and 0 interrupted iterations\\n');
  if (mode === 'interrupt') {
    setInterval(() => {}, 1000);
    return;
  }
  fs.closeSync(fd);
  process.exit(mode === 'thresholds' ? 99 : 0);
}
step();
`;

export async function installFakeK6(): Promise<{ dir: string; path: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'paychaos-fake-k6-'));
  const path = join(dir, 'k6');
  await writeFile(path, SOURCE);
  await chmod(path, 0o755);
  return { dir, path };
}
