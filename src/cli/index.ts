export { runCli, buildProgram, formatError } from './run.js';
export type { CliIo } from './io.js';
export { processIo } from './io.js';
