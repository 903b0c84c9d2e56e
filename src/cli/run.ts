import { Command, CommanderError } from 'commander';
import { EXIT, PaychaosError, isPaychaosError, paychaosError, type ExitCode } from '../kernel/index.js';
import { registerCommands } from './commands/index.js';
import { type CliIo, processIo } from './io.js';
import { codeOfBadFlagValue } from './flags.js';
import { VERSION } from './version.js';


/**
 * Build the `paychaos` program. Commands register themselves in commands/index.ts; each sets
 * its exit code by returning it from its action (via `io.setExit`).
 */
export function buildProgram(io: CliIo): Command {
  const program = new Command('paychaos')
    .description('Payment observability and chaos-testing harness')
    .version(VERSION, '-V, --version', 'print the paychaos version')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout(s),
      // Errors are printed by runCli, with their code and hint.
      writeErr: (s) => io.stderr(s),
      outputError: () => {},
    });
  registerCommands(program, io);
  // Every subcommand inherits the overrides so a bad flag anywhere exits through runCli.
  for (const cmd of program.commands) cmd.exitOverride().configureOutput({ writeOut: (s) => io.stdout(s), writeErr: (s) => io.stderr(s), outputError: () => {} });
  return program;
}

/** Run the CLI with argv (without node and script) and return the process exit code. */
export async function runCli(argv: string[], io: CliIo = processIo()): Promise<number> {
  const program = buildProgram(io);
  try {
    refuseUnknownCommand(program, argv);
    await program.parseAsync(argv, { from: 'user' });
    return io.exitCode() ?? EXIT.OK;
  } catch (err) {
    return report(commanderToPaychaos(err), io);
  }
}

/**
 * `paychaos nope --help` would print the top-level help and exit 0 (commander handles --help
 * before it looks at the command), so a command that does not exist looked as if it did. The
 * program itself takes no option with a value, so its first word is the command.
 */
function refuseUnknownCommand(program: Command, argv: readonly string[]): void {
  const first = argv.find((a) => !a.startsWith('-'));
  if (first === undefined || first === 'help') return;
  const known = program.commands.flatMap((c) => [c.name(), ...c.aliases()]);
  if (!known.includes(first)) {
    throw paychaosError('PAYCHAOS_ERR_CLI_UNKNOWN_COMMAND', `unknown command '${first}' (commands: ${known.join(', ')})`, { command: first });
  }
}

function commanderToPaychaos(err: unknown): unknown {
  if (!(err instanceof CommanderError)) return err;
  if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') return err;
  const message = err.message.replace(/^error: /, '');
  const code = err.code === 'commander.unknownCommand' ? 'PAYCHAOS_ERR_CLI_UNKNOWN_COMMAND' : err.code === 'commander.invalidArgument' ? codeOfBadFlagValue(message) : 'PAYCHAOS_ERR_CLI_BAD_FLAG';
  return paychaosError(code, message, { commanderCode: err.code });
}

function report(err: unknown, io: CliIo): ExitCode | number {
  if (err instanceof CommanderError) return err.exitCode === 0 ? EXIT.OK : EXIT.BAD_INPUT;
  if (isPaychaosError(err)) {
    io.stderr(formatError(err));
    return err.exitCode;
  }
  const internal = paychaosError('PAYCHAOS_ERR_HARNESS_BUG', err instanceof Error ? err.message : String(err), {}, { cause: err });
  io.stderr(formatError(internal));
  if (err instanceof Error && err.stack) io.stderr(`${err.stack}\n`);
  return internal.exitCode;
}

export function formatError(err: PaychaosError): string {
  return `paychaos: ${err.message}\n  code: ${err.code}\n  hint: ${err.hint}\n`;
}
