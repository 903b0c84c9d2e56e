import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/kernel/index.js';
import { TrafficOverrides } from '../../../src/load/index.js';
import { faultContext, type BuiltStack } from '../../../src/run/index.js';

/** Only what faultContext reads of a stack: providers' direct URLs, the chaos plane, the systems. */
function stackOf(systems: BuiltStack['systems']): BuiltStack {
  const chaos = { url: 'http://127.0.0.1:1' };
  return {
    providers: { providers: { stripe: { directUrl: 'http://127.0.0.1:4001' }, alipay: { directUrl: 'http://127.0.0.1:4002' } }, chaos },
    systems,
  } as unknown as BuiltStack;
}
const noop = async (): Promise<void> => {};

describe('the fault context a run builds from its stack', () => {
  it('points provider steps at the simulator itself, past its proxy', () => {
    const ctx = faultContext(stackOf({}), { clock: new ManualClock(), signal: new AbortController().signal, client: new TrafficOverrides() });
    expect(ctx.provider('alipay')).toEqual({ behaviourUrl: 'http://127.0.0.1:4002/__sim/behaviour' });
  });

  it('has no provider handle for a provider the stack does not have (the timeline names it as bad input)', () => {
    const ctx = faultContext(stackOf({}), { clock: new ManualClock(), signal: new AbortController().signal, client: new TrafficOverrides() });
    expect(ctx.provider('paypal')).toBeUndefined();
    expect(ctx.provider('toString')).toBeUndefined();
  });

  it('offers process steps only a system that can be killed and restarted (a child process)', async () => {
    const calls: string[] = [];
    const child = {
      name: 'gateway-canary', url: 'http://127.0.0.1:5', mode: 'child', close: noop, [Symbol.asyncDispose]: noop,
      kill: async (signal?: NodeJS.Signals) => void calls.push(`kill ${signal}`),
      restart: async () => void calls.push('restart'),
    };
    const inProcess = { name: 'gateway-baseline', url: 'http://127.0.0.1:4', mode: 'in-process', close: noop, [Symbol.asyncDispose]: noop };
    const ctx = faultContext(stackOf({ baseline: inProcess, canary: child } as unknown as BuiltStack['systems']), { clock: new ManualClock(), signal: new AbortController().signal, client: new TrafficOverrides() });
    expect(ctx.process('baseline')).toBeUndefined();
    expect(ctx.process('gateway-baseline')).toBeUndefined();
    expect(ctx.process('nothing')).toBeUndefined();
    await ctx.process('canary')!.kill('SIGKILL');
    await ctx.process('gateway-canary')!.restart();
    expect(calls).toEqual(['kill SIGKILL', 'restart']);
  });

  it('hands steps the run\'s clock, stop signal and client overrides, and the chaos plane as the network', () => {
    const clock = new ManualClock();
    const stop = new AbortController();
    const client = new TrafficOverrides();
    const stack = stackOf({});
    const ctx = faultContext(stack, { clock, signal: stop.signal, client });
    expect(ctx.clock).toBe(clock);
    expect(ctx.signal).toBe(stop.signal);
    expect(ctx.client).toBe(client);
    expect(ctx.network).toBe(stack.providers.chaos);
  });
});
