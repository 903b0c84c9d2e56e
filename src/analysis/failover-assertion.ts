/**
 * The name of a failover bound's assertion, written by the run and read back by the report (which
 * tells each fault's story beside the bound the scenario set on it). One definition, so the two
 * cannot drift: a renamed figure would otherwise leave the report silently without its judgement.
 */
export type FailoverFigure = 'time_to_detect' | 'time_to_switch_back';

export function failoverAssertionName(step: string, figure: FailoverFigure, limitS: number): string {
  return `failover{step:${step}} ${figure}<=${limitS}s`;
}

const NAME = /^failover\{step:(.+?)\} (time_to_detect|time_to_switch_back)<=/;

/** The step and figure a failover assertion's name carries; undefined for any other assertion. */
export function parseFailoverAssertionName(name: string): { step: string; figure: FailoverFigure } | undefined {
  const m = NAME.exec(name);
  return m ? { step: m[1]!, figure: m[2] as FailoverFigure } : undefined;
}
