import type { Clock } from '../../src/kernel/index.js';
import type { Behaviour } from './behaviour.js';
import type { FeeModel } from './fees.js';
import type { Ledger } from './ledger.js';
import { settlementSchedule, type SettlementCycle, type SettlementLine } from './settlement-report.js';

/**
 * One provider's settlement on its own clock: what each simulator's `/__sim/settlement.csv?version=2`
 * serves. The cycle is the provider's documented default unless the behaviour profile sets
 * `settlementCycle.days` (T+0…T+30); the cut-off is the simulator's clock's now unless the reader
 * asks for another (`asOf`, a time on that clock). The ledger stamps wall-clock times; the clock
 * places them on the simulated calendar (Clock.fromReal), so a scenario's timeScale compresses days.
 */
export interface ProviderSettlement {
  readonly ledger: Ledger;
  readonly behaviour: Behaviour;
  readonly clock: Clock;
  readonly fees: FeeModel;
  readonly cycle: SettlementCycle;
  readonly seed: number;
}

export function scheduledLines(p: ProviderSettlement, asOf: number | undefined, pending: boolean): { lines: SettlementLine[]; asOf: number } {
  const days = p.behaviour.profile.settlementCycle?.days ?? p.cycle.days;
  const cutOff = asOf ?? p.clock.now();
  const schedule = settlementSchedule(p.ledger.entries(), {
    fees: p.fees,
    cycle: { ...p.cycle, days },
    seed: p.seed,
    windows: p.behaviour.settlementWindows(),
    asOf: cutOff,
    ...(p.clock.fromReal ? { providerTime: (ms: number) => p.clock.fromReal!(ms) } : {}),
  });
  return { lines: pending ? schedule.pending : schedule.due, asOf: cutOff };
}

/** A server's `settlementReport`: the scheduled lines, rendered in the provider's own format. */
export function settlementReportOf(p: ProviderSettlement, render: (lines: readonly SettlementLine[]) => string): (asOf: number | undefined, pending: boolean) => { csv: string; asOf: number } {
  return (asOf, pending) => {
    const { lines, asOf: cutOff } = scheduledLines(p, asOf, pending);
    return { csv: render(lines), asOf: cutOff };
  };
}
