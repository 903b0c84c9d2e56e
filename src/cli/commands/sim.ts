import type { Command } from 'commander';
import { providerDescriptor, providersWithApiKeyCheck, providersWithShopperStep } from '../../conventions/index.js';
import { EXIT, paychaosError } from '../../kernel/index.js';
import { feeOverridesSchema, supervisedProcesses } from '../../stack/index.js';
import { SIMULATORS, SIMULATOR_NAMES, isSimulatorName, isWireMockSimulatorName, loadProfileFile, startSimulator, type StartedSimulator } from '../../../simulators/index.js';
import { durationFlag, logLevelFlag, logLevelOf, portFlag, positiveNumberFlag, seedFlag, type LogLevel } from '../flags.js';
import type { CliIo } from '../io.js';
import type { ContractRate } from '../../../simulators/index.js';

interface SimFlags {
  port: number;
  seed?: number;
  profile?: string;
  clockScale?: number;
  shopperApproves?: number;
  apiKey?: string;
  feeBps?: string;
  feeFixed?: string;
  logLevel?: LogLevel;
}

/**
 * `paychaos sim <provider>`: one provider simulator on 127.0.0.1, standalone, until Ctrl-C or
 * SIGTERM; then it closes (pending webhook retries are cancelled) and exits 0.
 */
export function registerSim(program: Command, io: CliIo): void {
  program
    .command('sim')
    .description(`run one provider simulator until Ctrl-C; providers: ${SIMULATOR_NAMES.map((n) => `${n} (${SIMULATORS[n].description})`).join('; ')}`)
    .argument('<provider>', `the provider to simulate: ${SIMULATOR_NAMES.join(', ')}, or wiremock:<provider> (stubs in simulators/wiremock/<provider>/, or a folder path; needs Java)`)
    .option('--port <n>', 'port to listen on (0 picks a free one)', portFlag, 0)
    .option('--seed <n>', 'seed of every random choice, to replay a run (default: random, printed)', seedFlag)
    .option('--profile <file>', 'behaviour profile, JSON or YAML (see simulators/README.md); change it live with PUT /__sim/behaviour')
    .option('--clock-scale <n>', 'simulated time per real time for webhook retry ladders (60: a minute per second)', positiveNumberFlag)
    .option('--shopper-approves <duration>', `wallets (${providersWithShopperStep().join(', ')}): the shopper completes each payment this long after it is created (200ms, 2s), instead of waiting for the /__sim/ buyer routes`, durationFlag)
    .option('--api-key <key>', `${providersWithApiKeyCheck().join(', ')}: the API key requests must carry (Authorization: Bearer for stripe, x-api-key for adyen); others get 401 in the provider's shape. Unset: any key is taken`)
    .option('--fee-bps <n>', "the merchant's contract rate the settlement report charges, in basis points (38 = 0.38 %), over the provider's list price (UnionPay: 60)")
    .option('--fee-fixed <amount>', 'with --fee-bps: the fixed part per capture in major units of the currency (0.30); default 0')
    .option('--log-level <level>', 'fatal, error, warn, info (default, or PAYCHAOS_LOG_LEVEL), debug (a line per request) or trace (with headers and bodies, redacted); NDJSON on stderr', logLevelFlag)
    .action(async (provider: string, flags: SimFlags) => {
      // A parent that starts the simulator passes the key in the environment, not on the command line.
      if (flags.apiKey === undefined && process.env.PAYCHAOS_SIM_API_KEY) flags.apiKey = process.env.PAYCHAOS_SIM_API_KEY;
      // Which providers have a shopper step or an API key: their descriptors say (src/conventions/providers).
      const WALLETS = providersWithShopperStep();
      const KEYED = providersWithApiKeyCheck();
      // A WireMock provider may be any folder of stubs; every other name must be a known provider.
      if (!isWireMockSimulatorName(provider)) providerDescriptor(provider, 'paychaos sim <provider>');
      if (!isSimulatorName(provider)) {
        throw paychaosError('PAYCHAOS_ERR_SIM_UNKNOWN_PROVIDER', `no simulator named "${provider}"; simulated providers: ${SIMULATOR_NAMES.join(', ')}, or wiremock:<provider>`, { provider });
      }
      if (flags.shopperApproves !== undefined && !WALLETS.includes(provider)) {
        throw paychaosError('PAYCHAOS_ERR_CLI_BAD_FLAG', `--shopper-approves: ${provider} has no shopper step to automate (only ${WALLETS.join(', ')} do)`, { flag: '--shopper-approves', provider });
      }
      if (flags.apiKey !== undefined && (!KEYED.includes(provider) || flags.apiKey.trim() === '')) {
        throw paychaosError('PAYCHAOS_ERR_CLI_BAD_FLAG', flags.apiKey.trim() === '' ? '--api-key: empty; give the key clients will send (e.g. AQE_test_key) or leave the flag out' : `--api-key: ${provider} has no API key to set (only ${KEYED.join(', ')} do)`, { flag: '--api-key', provider });
      }
      const fees = contractRateOf(flags, provider);
      const profile = flags.profile ? await loadProfileFile(flags.profile, provider) : undefined;
      // Subscribe before starting, so a Ctrl-C during start-up still closes what was opened.
      let unsubscribe: () => void = () => {};
      const stopped = new Promise<NodeJS.Signals>((resolve) => {
        unsubscribe = io.onInterrupt(resolve);
      });
      let sim: StartedSimulator;
      try {
        sim = await startSimulator(provider, {
          host: '127.0.0.1',
          port: flags.port,
          ...(flags.seed !== undefined ? { seed: flags.seed } : {}),
          ...(profile !== undefined ? { profile } : {}),
          ...(flags.clockScale !== undefined ? { clockScale: flags.clockScale } : {}),
          ...(flags.shopperApproves !== undefined ? { shopperApprovesAfterMs: flags.shopperApproves } : {}),
          ...(flags.apiKey !== undefined ? { apiKey: flags.apiKey } : {}),
          ...(fees !== undefined ? { fees } : {}),
          log: { level: logLevelOf(flags.logLevel), ...(process.env.PAYCHAOS_RUN_ID ? { runId: process.env.PAYCHAOS_RUN_ID } : {}) },
          // Started by a stack: a WireMock JVM's output goes to the run's directory too.
          ...(process.env.PAYCHAOS_SIM_LOG_DIR ? { logDir: process.env.PAYCHAOS_SIM_LOG_DIR } : {}),
          // A WireMock provider's JVM runs under a Supervisor of its own (dies with this process).
          processes: supervisedProcesses,
        });
      } catch (err) {
        unsubscribe();
        throw err;
      }
      io.stdout(`paychaos sim: ${provider} simulator on ${sim.url}${sim.kind === 'native' ? ` (seed ${sim.seed})` : ''}\n`);
      // A WireMock provider has WireMock's admin API, not our ledger and behaviour routes.
      io.stdout(
        sim.kind === 'native'
          ? `  ledger ${sim.url}/__sim/ledger · settlement ${sim.url}/__sim/settlement.csv · behaviour ${sim.url}/__sim/behaviour · webhooks ${sim.url}/__sim/webhooks\n`
          : `  WireMock stubs from ${provider.slice('wiremock:'.length)} · requests seen ${sim.url}/__admin/requests · mappings ${sim.url}/__admin/mappings\n`,
      );
      io.stdout('Ctrl-C stops it.\n');
      // A WireMock provider is a JVM under this process: if it dies, so does the simulator, with the
      // JVM's exit and last output, so whoever supervises this process sees the crash at once.
      const died = new Promise<string>((resolve) => {
        if (sim.kind === 'wiremock') sim.wiremock.onCrash((_name, description) => resolve(description));
      });
      const ended = await Promise.race([stopped.then((signal) => ({ signal })), died.then((description) => ({ description }))]);
      unsubscribe();
      if ('description' in ended) {
        await sim.close();
        throw paychaosError('PAYCHAOS_ERR_STACK_CHILD_CRASHED', `${provider}: WireMock's JVM died: ${ended.description}`, { provider });
      }
      io.stderr(`paychaos sim: ${ended.signal} received, closing…\n`);
      await sim.close();
      io.setExit(EXIT.OK);
    });
}

/** `--fee-bps` and `--fee-fixed` as a contract rate, checked as the gateway checks `fees` (one schema, gateway/fees.ts, through the stack). */
function contractRateOf(flags: SimFlags, provider: string): ContractRate | undefined {
  if (flags.feeBps === undefined) {
    if (flags.feeFixed !== undefined) throw paychaosError('PAYCHAOS_ERR_CLI_BAD_FLAG', '--fee-fixed: give --fee-bps too (the percentage part; 0 for a fixed fee alone)', { flag: '--fee-fixed' });
    return undefined;
  }
  const rate = { bps: Number(flags.feeBps), ...(flags.feeFixed !== undefined ? { fixed: Number(flags.feeFixed) } : {}) };
  const parsed = feeOverridesSchema.safeParse({ [provider]: rate });
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    // A provider without a fee model is named by the issue's path alone; a bad value by its field.
    const flag = issue.path[1] === 'fixed' ? '--fee-fixed' : '--fee-bps';
    const message = issue.path.length === 1 ? issue.message : flag === '--fee-bps' ? 'expected whole basis points from 0 to 10000 (38 = 0.38 %)' : issue.message;
    throw paychaosError('PAYCHAOS_ERR_CLI_BAD_FLAG', `${flag}: ${message}`, { flag, provider });
  }
  return rate;
}
