/**
 * A threshold expression in k6's own syntax — `<aggregation> <operator> <value>`, such as
 * `rate>=0.97`, `p(99)<800`, `avg < 200`, `count==0` — so a k6 user writes ours as they write
 * theirs. Aggregations (k6 "Thresholds"): `count` and `rate` for counters, `rate` for rates,
 * `value` for gauges, `avg` `min` `max` `med` `p(N)` for trends; operators `>` `>=` `<=` `<`
 * `==` `===` `!=`. Which aggregation a metric accepts is the metric's business (metrics.ts).
 */
export type Operator = '>' | '>=' | '<=' | '<' | '==' | '===' | '!=';
export type Aggregation = { kind: 'count' } | { kind: 'rate' } | { kind: 'value' } | { kind: 'avg' } | { kind: 'min' } | { kind: 'max' } | { kind: 'med' } | { kind: 'p'; percentile: number };

export interface ThresholdExpression {
  readonly source: string;
  readonly aggregation: Aggregation;
  readonly operator: Operator;
  readonly value: number;
}

const PATTERN = /^\s*(count|rate|value|avg|min|max|med|p\(\s*([0-9]+(?:\.[0-9]+)?)\s*\))\s*(===|==|!=|>=|<=|>|<)\s*(-?[0-9]+(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?)\s*$/;

/** Parse one expression; a string naming what is wrong when it is not one. */
export function parseExpression(source: string): ThresholdExpression | string {
  const m = PATTERN.exec(source);
  if (!m) return `"${source}" is not a threshold expression: write <aggregation> <operator> <value>, e.g. "rate>=0.97" or "p(99)<800"`;
  const name = m[1]!;
  let aggregation: Aggregation;
  if (name.startsWith('p(')) {
    const percentile = Number(m[2]);
    if (!(percentile >= 0 && percentile <= 100)) return `"${source}": a percentile must be between 0 and 100`;
    aggregation = { kind: 'p', percentile };
  } else {
    aggregation = { kind: name as Exclude<Aggregation['kind'], 'p'> } as Aggregation;
  }
  return Object.freeze({ source: source.trim(), aggregation, operator: m[3] as Operator, value: Number(m[4]) });
}

/** Whether `measured` satisfies the expression (k6: the threshold passes when the comparison holds). */
export function holds(expr: ThresholdExpression, measured: number): boolean {
  switch (expr.operator) {
    case '>':
      return measured > expr.value;
    case '>=':
      return measured >= expr.value;
    case '<':
      return measured < expr.value;
    case '<=':
      return measured <= expr.value;
    case '==':
    case '===':
      return measured === expr.value;
    case '!=':
      return measured !== expr.value;
  }
}

export function aggregationName(a: Aggregation): string {
  return a.kind === 'p' ? `p(${a.percentile})` : a.kind;
}
