import type { PaymentEvent } from '../event.js';
import { aggregationName, holds, parseExpression, type ThresholdExpression } from './expression.js';
import { METRICS, EVENT_TAGS, accepts, acceptedAggregations, matches, type MetricDefinition } from './metrics.js';
import { parseSelector, type MetricSelector } from './selector.js';
import { PerSecond, Tally } from './window-aggregate.js';

/**
 * k6-style thresholds over a run's payments, evaluated from the event stream:
 *
 *   expect:
 *     thresholds:
 *       'success_rate{variant:baseline}': ['rate>=0.97']
 *       'latency{provider:alipay}': ['p(99)<800', { threshold: 'p(50)<100', during: outage }]
 *       dropped_iterations: ['count==0']
 *
 * k6 judges a threshold only over the whole test; ours may be scoped to a window of the run:
 * `during: <step id>` (from the fault step's actual start to its actual end) or `after: <step
 * id>` (from its end to the end of the run). Windows are whole seconds of scheduled start, the
 * partial seconds at both ends included. A threshold with no payments in its window fails and
 * says so: an SLO with nothing to judge has not been met.
 */
export interface ThresholdItem {
  threshold: string;
  during?: string;
  after?: string;
}

export type ThresholdsInput = Readonly<Record<string, ReadonlyArray<string | ThresholdItem>>>;

export interface ThresholdProblem {
  /** The path inside the thresholds object: `'latency{provider:alipay}'[1].during`. */
  readonly path: readonly (string | number)[];
  readonly message: string;
}

interface Threshold {
  readonly name: string;
  readonly selector: MetricSelector;
  readonly metric: MetricDefinition;
  readonly expression: ThresholdExpression;
  readonly window?: { readonly kind: 'during' | 'after'; readonly step: string };
}

export interface WindowBounds {
  readonly startS: number;
  readonly endS: number;
}

export interface ThresholdContext {
  /** The fault steps' actual windows, by step id. */
  readonly steps: Readonly<Record<string, WindowBounds>>;
  /** Seconds the run drove load (for `requests` rate and `after` windows). */
  readonly durationS: number;
  /** Counters that are not measured from events. */
  readonly counters: Readonly<Record<string, number>>;
}

export interface ThresholdResult {
  readonly name: string;
  readonly passed: boolean;
  /** What was measured; null when nothing could be (no payments in the window, an unknown step). */
  readonly measured: number | null;
  readonly threshold: number;
  readonly reason?: string;
}

/** Validate a thresholds object against the metric catalogue; every problem at once, with its path. */
export function checkThresholds(input: ThresholdsInput, knownSteps?: ReadonlySet<string>): { thresholds: readonly Threshold[]; problems: ThresholdProblem[] } {
  const thresholds: Threshold[] = [];
  const problems: ThresholdProblem[] = [];
  for (const [key, items] of Object.entries(input)) {
    const selector = parseSelector(key);
    if (typeof selector === 'string') {
      problems.push({ path: [key], message: selector });
      continue;
    }
    const metric = METRICS[selector.metric];
    if (!metric) {
      problems.push({ path: [key], message: `unknown metric "${selector.metric}" (one of ${Object.keys(METRICS).join(', ')})` });
      continue;
    }
    for (const tag of Object.keys(selector.tags)) {
      if (!metric.fromEvents) problems.push({ path: [key], message: `${selector.metric} is measured for the whole run and takes no tags` });
      else if (!EVENT_TAGS.includes(tag)) problems.push({ path: [key], message: `unknown tag "${tag}" (one of ${EVENT_TAGS.join(', ')})` });
    }
    if (selector.metric === 'error_share' && selector.tags.code === undefined) problems.push({ path: [key], message: 'error_share needs the error code it counts: error_share{code:provider_error}' });
    items.forEach((item, i) => {
      const spec: ThresholdItem = typeof item === 'string' ? { threshold: item } : item;
      const expression = parseExpression(spec.threshold);
      if (typeof expression === 'string') {
        problems.push({ path: [key, i], message: expression });
        return;
      }
      if (!accepts(metric.type, expression.aggregation)) {
        problems.push({ path: [key, i], message: `${selector.metric} is a ${metric.type} metric: it takes ${acceptedAggregations(metric.type)}, not ${aggregationName(expression.aggregation)}` });
        return;
      }
      if (spec.during !== undefined && spec.after !== undefined) {
        problems.push({ path: [key, i], message: 'give during or after, not both' });
        return;
      }
      const step = spec.during ?? spec.after;
      if (step !== undefined && !metric.fromEvents) {
        problems.push({ path: [key, i, spec.during !== undefined ? 'during' : 'after'], message: `${selector.metric} is counted for the whole run and cannot be windowed` });
        return;
      }
      if (step !== undefined && knownSteps && !knownSteps.has(step)) {
        problems.push({ path: [key, i, spec.during !== undefined ? 'during' : 'after'], message: `no timeline step has id "${step}"` });
        return;
      }
      const window = step !== undefined ? { kind: spec.during !== undefined ? ('during' as const) : ('after' as const), step } : undefined;
      const name = `${selector.source} ${expression.source}${window ? ` ${window.kind} ${window.step}` : ''}`;
      thresholds.push({ name, selector, metric, expression, ...(window ? { window } : {}) });
    });
  }
  return { thresholds, problems };
}

/** Thresholds being measured: fed every payment as it is recorded, judged once at the end. */
export class ThresholdSet {
  readonly #thresholds: readonly Threshold[];
  readonly #whole = new Map<Threshold, Tally>();
  readonly #windowed = new Map<Threshold, PerSecond>();

  constructor(thresholds: readonly Threshold[]) {
    this.#thresholds = thresholds;
    for (const t of thresholds) {
      if (!t.metric.fromEvents) continue;
      if (t.window) this.#windowed.set(t, new PerSecond(t.metric.type === 'trend'));
      else this.#whole.set(t, new Tally(t.metric.type === 'trend'));
    }
  }

  get size(): number {
    return this.#thresholds.length;
  }

  record(event: PaymentEvent): void {
    for (const [t, tally] of this.#whole) if (matches(event, t.selector.metric, t.selector.tags)) tally.add(event, t.metric.hit?.(event, t.selector.tags) ?? false);
    for (const [t, perSecond] of this.#windowed) if (matches(event, t.selector.metric, t.selector.tags)) perSecond.add(event, t.metric.hit?.(event, t.selector.tags) ?? false);
  }

  evaluate(ctx: ThresholdContext): ThresholdResult[] {
    return this.#thresholds.map((t) => this.#evaluate(t, ctx));
  }

  #evaluate(t: Threshold, ctx: ThresholdContext): ThresholdResult {
    const fail = (reason: string): ThresholdResult => ({ name: t.name, passed: false, measured: null, threshold: t.expression.value, reason });
    let tally: Tally | undefined;
    let seconds = ctx.durationS;
    if (!t.metric.fromEvents) {
      const value = ctx.counters[t.selector.metric];
      if (value === undefined) return fail(`${t.selector.metric} was not measured by this run`);
      const measured = t.expression.aggregation.kind === 'rate' ? (ctx.durationS > 0 ? value / ctx.durationS : 0) : value;
      return this.#judged(t, measured);
    }
    if (t.window) {
      const step = ctx.steps[t.window.step];
      if (!step) return fail(`step "${t.window.step}" never ran, so its window has no bounds`);
      const [from, to] = t.window.kind === 'during' ? [step.startS, step.endS] : [step.endS, Math.max(step.endS, ctx.durationS)];
      tally = this.#windowed.get(t)!.over(from, to);
      seconds = Math.max(0, to - from);
    } else {
      tally = this.#whole.get(t)!;
    }
    if (t.metric.type === 'counter') {
      const measured = t.expression.aggregation.kind === 'rate' ? (seconds > 0 ? tally.events / seconds : 0) : tally.events;
      return this.#judged(t, measured);
    }
    if (tally.events === 0) return fail(`no payments${t.window ? ` ${t.window.kind} ${t.window.step}` : ''} matched ${t.selector.source}`);
    if (t.metric.type === 'rate') return this.#judged(t, tally.hits / tally.events);
    return this.#judged(t, trendValue(t.expression, tally));
  }

  #judged(t: Threshold, measured: number): ThresholdResult {
    const rounded = Math.round(measured * 1e6) / 1e6;
    return { name: t.name, passed: holds(t.expression, measured), measured: rounded, threshold: t.expression.value };
  }
}

function trendValue(expr: ThresholdExpression, tally: Tally): number {
  const h = tally.latency!;
  const a = expr.aggregation;
  switch (a.kind) {
    case 'avg':
      return h.summary().mean;
    case 'min':
      return h.percentile(0);
    case 'max':
      return h.summary().max;
    case 'med':
      return h.percentile(50);
    case 'p':
      return h.percentile(a.percentile);
    default:
      return Number.NaN;
  }
}
