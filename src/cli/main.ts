#!/usr/bin/env node
import { runCli } from './run.js';

// The only place that reads argv and sets the process' exit code.
process.exitCode = await runCli(process.argv.slice(2));
