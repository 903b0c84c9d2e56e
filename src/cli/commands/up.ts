import type { Command } from 'commander';
import { EXIT, paychaosError } from '../../kernel/index.js';
import { loadScenarios, startUp, checkGatewayProviders } from '../../scenario/index.js';
import { isSimulatorName } from '../../../simulators/index.js';
import { nonEmptyFlag } from '../flags.js';
import type { CliIo } from '../io.js';
import { VERSION } from '../version.js';

interface UpFlags {
  out?: string;
  providers?: string;
  gateway: boolean;
  prometheus?: boolean;
}

/**
 * `paychaos up [scenario]`: start a stack and keep it up until Ctrl-C — simulators behind their
 * fault proxies and the reference gateway (or none, `--no-gateway`) — printing every address your
 * own checkout points at, and writing attach.json so `paychaos run --attach` can play scenarios
 * against your gateway on these very providers. A server: it exits 0 when stopped; a part that
 * crashes ends it with exit 3 naming the part.
 */
export function registerUp(program: Command, io: CliIo): void {
  program
    .command('up')
    .description('start the stack and keep it up until Ctrl-C, printing the provider URLs your own gateway points at; pair with `paychaos run --attach DIR --target URL`')
    .argument('[scenario]', 'a scenario file whose stack to start (providers, gateways, seed, clocks)')
    .option('--providers <list>', 'comma-separated providers to simulate when no scenario names them (default: stripe,adyen,alipay,wechatpay,paypal,unionpay)', nonEmptyFlag)
    .option('--no-gateway', 'start no reference gateway: only simulators and proxies, for your own gateway')
    .option('--prometheus', 'also start a local Prometheus (Debian\'s `prometheus`, or PROMETHEUS_BIN) on compose/prometheus.yml and its rules, scraping the gateways and the fault proxy, to watch a drill live')
    .option('--out <dir>', 'where attach.json, providers.env, stack.json and every part\'s log go (default: paychaos-results/<id>)', nonEmptyFlag)
    .action(async (scenarioPath: string | undefined, flags: UpFlags) => {
      const scenario = scenarioPath ? (await loadScenarios([scenarioPath]))[0] : undefined;
      if (scenario && flags.providers) throw paychaosError('PAYCHAOS_ERR_CLI_BAD_FLAG', '--providers: the scenario names its providers (stack.providers); give one or the other', { flag: '--providers' });
      const providers = flags.providers ? parseProviders(flags.providers, flags.gateway) : undefined;
      const interrupt = new AbortController();
      let crashed: ((description: string) => void) | undefined;
      const crash = new Promise<string>((resolve) => (crashed = resolve));
      const stopped = new Promise<NodeJS.Signals>((resolve) => {
        const unsubscribe = io.onInterrupt((signal) => {
          interrupt.abort();
          unsubscribe();
          resolve(signal);
        });
      });
      let up;
      try {
        up = await startUp({
        paychaosVersion: VERSION,
        ...(scenario ? { scenario } : {}),
        ...(providers ? { providers } : {}),
        noGateway: !flags.gateway,
        prometheus: flags.prometheus === true,
        ...(flags.out ? { outDir: flags.out } : {}),
        signal: interrupt.signal,
        onCrash: (part, description) => crashed?.(`${part}: ${description}`),
      });
      } catch (err) {
        // Ctrl-C while it was starting: what started is already stopped; a server ends with 0.
        if (!interrupt.signal.aborted) throw err;
        io.stderr('paychaos up: stopped while starting; nothing is left running\n');
        io.setExit(EXIT.OK);
        return;
      }
      const width = Math.max(...Object.keys(up.stack.addresses).map((k) => k.length));
      io.stdout(`paychaos up ${up.runId}\n`);
      for (const [part, url] of Object.entries(up.stack.addresses)) io.stdout(`  ${part.padEnd(width)}  ${url}\n`);
      if (up.prometheusUrl) io.stdout(`  ${'prometheus'.padEnd(width)}  ${up.prometheusUrl}\n`);
      io.stdout(`  attach   ${up.attachPath}\n  env      ${up.envPath}\n`);
      io.stdout(`Point your gateway at the provider URLs (not the "direct" ones: faults act on the others), then:\n  paychaos run --attach ${up.outDir} --target <your gateway URL> <scenario.yaml>\nCtrl-C stops it.\n`);
      const ended = await Promise.race([stopped.then((signal) => ({ signal })), crash.then((description) => ({ description }))]);
      if ('signal' in ended) io.stderr(`paychaos up: ${ended.signal} received, stopping every part…\n`);
      await up.close();
      if ('description' in ended) throw paychaosError('PAYCHAOS_ERR_STACK_CHILD_CRASHED', `a part of the stack crashed: ${ended.description}`, {});
      io.setExit(EXIT.OK);
    });
}

function parseProviders(list: string, withGateway: boolean): string[] {
  const providers = [...new Set(list.split(',').map((p) => p.trim()).filter(Boolean))];
  const unknown = providers.filter((p) => !isSimulatorName(p));
  if (unknown.length > 0 || providers.length === 0) {
    throw paychaosError('PAYCHAOS_ERR_CLI_BAD_FLAG', `--providers: ${unknown.length ? `no simulator named ${unknown.join(', ')}` : 'empty'}; give names such as stripe,alipay or wiremock:localwallet`, { flag: '--providers' });
  }
  // The reference gateway must speak each one; without it, any simulator will do.
  if (withGateway) checkGatewayProviders(providers, '--providers');
  return providers;
}
