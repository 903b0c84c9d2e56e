import { z } from 'zod';
import { paychaosError, type TimerHandle } from '../../../kernel/index.js';
import { defineFaultStep, duration, once } from '../fault-step.js';

const SIGNALS = ['SIGKILL', 'SIGTERM', 'SIGINT', 'SIGHUP', 'SIGQUIT'] as const;

/**
 * Kill a child process of the stack (a gateway or a simulator run as its own process) — by
 * default `kill -9`, so nothing gets to clean up — and start it again `restartAfter` later
 * (crash recovery). Without `restartAfter` it stays down until the step ends (its `for`) or
 * the timeline stops: the undo restarts it unless it already was, so no run leaves it dead.
 */
export const kill = defineFaultStep({
  type: 'kill',
  layer: 'process',
  summary: 'kills a child process (`signal`, default SIGKILL) and restarts it `restartAfter` later, or when the step ends',
  schema: z.strictObject({ signal: z.enum(SIGNALS).default('SIGKILL'), restartAfter: duration.optional() }),
  async check(target, ctx) {
    return ctx.process(target) ? undefined : `"${target}" is not a child process of this stack (in-process or at a URL), so it cannot be killed; run it as a child process`;
  },
  async apply(params, ctx) {
    const proc = ctx.process(params.target);
    if (!proc) throw paychaosError('PAYCHAOS_ERR_CHAOS_UNKNOWN_TARGET', `${params.id}: "${params.target}" is not a child process of this stack`, { target: params.target });
    await proc.kill(params.signal);
    let restarting: Promise<void> | undefined;
    const restart = () => (restarting ??= proc.restart());
    let timer: TimerHandle | undefined;
    // A failed timed restart is not lost: the undo awaits the same promise and reports it.
    if (params.restartAfter !== undefined) timer = ctx.clock.schedule(params.restartAfter, () => void restart().catch(() => {}));
    return once(async () => {
      timer?.cancel();
      await restart();
    });
  },
});
