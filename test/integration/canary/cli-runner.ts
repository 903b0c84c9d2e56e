import { runCli } from '../../../src/cli/run.js';
import { fakeIo } from '../../helpers/fake-io.js';

/** Run `paychaos judge …` in-process; its exit code and what it printed. */
export async function judge(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = fakeIo();
  const code = await runCli(['judge', ...argv], io);
  return { code, out: io.out(), err: io.err() };
}

/** Run `paychaos serve judge`; if it starts serving, stop it at once and say so. */
export async function serveJudge(...argv: string[]): Promise<{ started: boolean; code: number; err: string }> {
  const io = fakeIo();
  const exit = runCli(['serve', 'judge', '--port', '0', ...argv], io);
  let settled = false;
  void exit.finally(() => (settled = true));
  const deadline = Date.now() + 10_000;
  while (!settled && !io.out().includes('serving on') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  const started = io.out().includes('serving on');
  if (started) io.interrupt();
  return { started, code: await exit, err: io.err() };
}
