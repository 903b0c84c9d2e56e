import type { Command } from 'commander';
import { EXIT } from '../../kernel/index.js';
import { loadScenarios } from '../../scenario/index.js';
import type { CliIo } from '../io.js';

/**
 * `paychaos validate <file|dir>…`: check scenario files without running anything. Every problem
 * of every file is reported at once (exit 2, PAYCHAOS_ERR_SCENARIO_INVALID); a clean suite
 * prints one line per scenario and exits 0.
 */
export function registerValidate(program: Command, io: CliIo): void {
  program
    .command('validate')
    .description('check scenario files (a file, or every *.yaml in a directory) without running them')
    .argument('<paths...>', 'scenario files or directories')
    .action(async (paths: string[]) => {
      const scenarios = await loadScenarios(paths);
      for (const s of scenarios) {
        const steps = s.timeline.length;
        io.stdout(`ok  ${s.file.name}  (${s.path}; ${s.file.load.executor}, ${steps} timeline step${steps === 1 ? '' : 's'})\n`);
      }
      io.setExit(EXIT.OK);
    });
}
