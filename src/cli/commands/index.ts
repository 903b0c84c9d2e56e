import type { Command } from 'commander';
import type { CliIo } from '../io.js';
import { registerDemo } from './demo.js';
import { registerGateway } from './gateway.js';
import { registerIngest } from './ingest.js';
import { registerJudge } from './judge.js';
import { registerProxy } from './proxy.js';
import { registerReconcile } from './reconcile.js';
import { registerReport } from './report.js';
import { registerRun } from './run.js';
import { registerServe } from './serve.js';
import { registerSim } from './sim.js';
import { registerUp } from './up.js';
import { registerValidate } from './validate.js';

/**
 * Every `paychaos` command, one file each. A command parses its flags, calls the library,
 * and sets its exit code through io.setExit — nothing else.
 */
export function registerCommands(program: Command, io: CliIo): void {
  registerDemo(program, io);
  registerGateway(program, io);
  registerIngest(program, io);
  registerJudge(program, io);
  registerProxy(program, io);
  registerReconcile(program, io);
  registerReport(program, io);
  registerRun(program, io);
  registerServe(program, io);
  registerSim(program, io);
  registerUp(program, io);
  registerValidate(program, io);
}
