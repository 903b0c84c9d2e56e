import { describe, expect, it } from 'vitest';
import { goStyleProxyArgs } from '../../../src/cli/commands/proxy.js';

describe('toxiproxy-server\'s Go-style flags, rewritten for commander', () => {
  it.each([
    [['-host', '0.0.0.0', '-port', '8474'], ['--host', '0.0.0.0', '--port', '8474']],
    [['-port=0', '-config=a.json'], ['--port=0', '--config=a.json']],
    [['--port', '0', '--config=a.json'], ['--port', '0', '--config=a.json']],
    // The token after a flag that takes a value is its value, even when it looks like a flag.
    [['-config', '-seed'], ['--config', '-seed']],
    [['--', '-seed'], ['--', '-seed']],
    [['--port', '0', '--', '-seed'], ['--port', '0', '--', '-seed']],
    [['-version'], ['--toxiproxy-version']],
    [['-version=true'], ['--toxiproxy-version']],
    [['-version=false', '-port', '1'], ['--port', '1']],
    [['-proxy-metrics=false', '-runtime-metrics=0'], []],
    [['-proxy-metrics', '-runtime-metrics=T'], ['--proxy-metrics', '--runtime-metrics']],
    [['--proxy-metrics=true'], ['--proxy-metrics']],
    [['-help'], ['--help']],
    [['-h'], ['-h']],
    [['-bogus', 'x'], ['-bogus', 'x']],
    [['-constructor', '-toString'], ['-constructor', '-toString']],
    [['-port'], ['--port']],
  ])('%j → %j', (args, expected) => {
    expect(goStyleProxyArgs(args)).toEqual(expected);
  });

  it.each([
    ['-seed', 'toxicity'],
    ['-seed=1', 'toxicity'],
    ['--seed', 'toxicity'],
    ['-proxy-metrics=yes', 'invalid boolean value'],
  ])('refuses %s with PAYCHAOS_ERR_CLI_BAD_FLAG naming it', (arg, why) => {
    let thrown: unknown;
    try {
      goStyleProxyArgs([arg]);
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toMatchObject({ code: 'PAYCHAOS_ERR_CLI_BAD_FLAG' });
    expect((thrown as Error).message).toContain(`'${arg}'`);
    expect((thrown as Error).message).toContain(why);
  });
});
