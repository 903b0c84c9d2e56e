import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../../../src/cli/run.js';
import { codeOfBadFlagValue } from '../../../src/cli/flags.js';
import { fakeIo } from '../../helpers/fake-io.js';

/**
 * Durations, numbers, log levels and providers given on the command line: each bad value is
 * refused up front with exit 2, its own code (PAYCHAOS_ERR_CLI_BAD_DURATION, _BAD_NUMBER,
 * PAYCHAOS_ERR_LOG_BAD_LEVEL, PAYCHAOS_ERR_PROVIDER_UNKNOWN — documented in docs/errors.md), the
 * flag named, and no stack trace; nothing is started.
 */
interface Case {
  argv: string[];
  code: string;
  names: RegExp;
  env?: Record<string, string>;
}

const CASES: Case[] = [
  { argv: ['demo', '--duration', 'banana'], code: 'PAYCHAOS_ERR_CLI_BAD_DURATION', names: /--duration/ },
  { argv: ['demo', '--duration', '0s'], code: 'PAYCHAOS_ERR_CLI_BAD_DURATION', names: /--duration/ },
  { argv: ['demo', '--duration', '-3s'], code: 'PAYCHAOS_ERR_CLI_BAD_DURATION', names: /--duration/ },
  { argv: ['sim', 'alipay', '--shopper-approves', 'soon'], code: 'PAYCHAOS_ERR_CLI_BAD_DURATION', names: /--shopper-approves/ },
  { argv: ['judge', '--prometheus', 'http://127.0.0.1:1', '--window', '30m1h'], code: 'PAYCHAOS_ERR_CLI_BAD_DURATION', names: /--window/ },
  { argv: ['demo', '--warmup', 'soon'], code: 'PAYCHAOS_ERR_CLI_BAD_DURATION', names: /--warmup/ },
  { argv: ['demo', '--warmup', '-1s'], code: 'PAYCHAOS_ERR_CLI_BAD_DURATION', names: /--warmup/ },
  { argv: ['demo', '--load', 'k6', '--warmup', '2s'], code: 'PAYCHAOS_ERR_CLI_BAD_FLAG', names: /--warmup/ },
  { argv: ['demo', '--rate', 'abc'], code: 'PAYCHAOS_ERR_CLI_BAD_NUMBER', names: /--rate/ },
  { argv: ['demo', '--rate', '0'], code: 'PAYCHAOS_ERR_CLI_BAD_NUMBER', names: /--rate/ },
  { argv: ['demo', '--rate', 'Infinity'], code: 'PAYCHAOS_ERR_CLI_BAD_NUMBER', names: /--rate/ },
  { argv: ['demo', '--max-in-flight', '2.5'], code: 'PAYCHAOS_ERR_CLI_BAD_NUMBER', names: /--max-in-flight/ },
  { argv: ['demo', '--seed', '-1'], code: 'PAYCHAOS_ERR_CLI_BAD_NUMBER', names: /--seed/ },
  { argv: ['sim', 'stripe', '--clock-scale', '0'], code: 'PAYCHAOS_ERR_CLI_BAD_NUMBER', names: /--clock-scale/ },
  { argv: ['demo', '--log-level', 'loud'], code: 'PAYCHAOS_ERR_LOG_BAD_LEVEL', names: /--log-level/ },
  { argv: ['sim', 'stripe', '--log-level', 'verbose'], code: 'PAYCHAOS_ERR_LOG_BAD_LEVEL', names: /--log-level/ },
  { argv: ['proxy', '--port', '0', '--log-level', 'INFO'], code: 'PAYCHAOS_ERR_LOG_BAD_LEVEL', names: /--log-level/ },
  { argv: ['serve', 'judge', '--prometheus', 'http://127.0.0.1:1', '--log-level', '5'], code: 'PAYCHAOS_ERR_LOG_BAD_LEVEL', names: /--log-level/ },
  { argv: ['sim', 'stripe', '--port', '0'], env: { PAYCHAOS_LOG_LEVEL: 'chatty' }, code: 'PAYCHAOS_ERR_LOG_BAD_LEVEL', names: /PAYCHAOS_LOG_LEVEL="chatty".*--log-level/ },
  { argv: ['proxy', '--port', '0'], env: { PAYCHAOS_LOG_LEVEL: 'chatty' }, code: 'PAYCHAOS_ERR_LOG_BAD_LEVEL', names: /PAYCHAOS_LOG_LEVEL/ },
  { argv: ['sim', 'bitpay'], code: 'PAYCHAOS_ERR_PROVIDER_UNKNOWN', names: /"bitpay".*known providers: stripe, adyen, alipay, wechatpay, paypal, unionpay, wiremock:localwallet, wiremock:ecny, wiremock:cryptopay/ },
];

const saved = process.env.PAYCHAOS_LOG_LEVEL;
afterEach(() => {
  if (saved === undefined) delete process.env.PAYCHAOS_LOG_LEVEL;
  else process.env.PAYCHAOS_LOG_LEVEL = saved;
});

describe('bad durations, numbers, log levels and providers: exit 2, their own code, the flag named', () => {
  it.each(CASES.map((c) => [`${c.env ? 'PAYCHAOS_LOG_LEVEL=chatty ' : ''}${c.argv.join(' ')}`, c] as const))('%s', async (_name, c) => {
    for (const [k, v] of Object.entries(c.env ?? {})) process.env[k] = v;
    const io = fakeIo();
    const exit = await runCli(c.argv, io);
    expect({ exit, err: io.err() }).toMatchObject({ exit: 2 });
    expect(io.err()).toContain(`code: ${c.code}`);
    expect(io.err()).toMatch(c.names);
    expect(io.err()).not.toMatch(/\n\s+at .+:\d+:\d+/);
    expect(io.out()).not.toMatch(/listening|serving on|API on|simulator on|driving/i);
  });

  it('the control: the same flags with good values are taken (the server starts, and stops on Ctrl-C)', async () => {
    const io = fakeIo();
    const run = runCli(['sim', 'stripe', '--port', '0', '--clock-scale', '60', '--log-level', 'silent'], io);
    for (let i = 0; i < 200 && !io.out().includes('simulator on'); i++) await new Promise((r) => setTimeout(r, 25));
    expect(io.out()).toContain('simulator on');
    io.interrupt();
    expect(await run).toBe(0);
    expect(io.err()).not.toContain('code:');
  });

  it('a flag value error of another kind keeps PAYCHAOS_ERR_CLI_BAD_FLAG (the code is read from the parser\'s own sentence)', () => {
    expect(codeOfBadFlagValue("option '--port <n>' argument 'x' is invalid. Expected a port number between 0 and 65535 (0 picks a free port).")).toBe('PAYCHAOS_ERR_CLI_BAD_FLAG');
    expect(codeOfBadFlagValue("option '--rate <r>' argument 'x' is invalid. Expected a positive number.")).toBe('PAYCHAOS_ERR_CLI_BAD_NUMBER');
  });
});
