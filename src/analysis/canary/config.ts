import { z } from 'zod';
import { deepFreeze, formatPath, paychaosError } from '../../kernel/index.js';
import { isPrometheusDuration, variantPlaceholdersQuoted } from './promql.js';

/**
 * The judge's configuration: a plain object (YAML or JSON on disk, or inline in a scenario's
 * `expect.canary` later), validated once and strictly — unknown keys are errors, every problem
 * is reported at once with its path — then frozen. Every default lives in this file and is
 * documented in docs/canary.md.
 */

const direction = z.enum(['increase', 'decrease', 'either']);
const alpha = z.number().gt(0).lt(1);

const common = {
  /** Unique; used in reports, in /metrics labels and to match Prometheus results. */
  name: z.string().regex(/^[A-Za-z][A-Za-z0-9_.:-]*$/, 'expected a name of letters, digits, _ . : -, starting with a letter'),
  description: z.string().optional(),
  group: z.string().min(1).default('default'),
  /** A high/low classification of a critical metric fails the canary whatever the score. */
  critical: z.boolean().default(false),
  /** No data for this metric makes the verdict inconclusive instead of leaving it out. */
  mustHaveData: z.boolean().default(false),
  /** Significance level for this metric (defaults to the top-level alpha). */
  alpha: alpha.optional(),
  /** Results-file source only: judge one provider's slice (`byProvider.<name>`). */
  provider: z.string().min(1).optional(),
};

const proportionMetric = z.strictObject({
  ...common,
  kind: z.literal('proportion'),
  /** What counts as an event, out of all requests: an outcome, or a list of normalised error codes. */
  count: z.union([z.enum(['failed', 'succeeded', 'pending']), z.array(z.string().min(1)).min(1)]).default('failed'),
  direction: direction.default('increase'),
  /** The absolute difference in percentage points that matters. */
  tolerancePp: z.number().nonnegative().default(0.5),
  minRequests: z.number().int().positive().default(100),
  /** auto: Fisher's exact test when any expected cell count is < 5, else the z-test. */
  test: z.enum(['auto', 'fisher', 'z']).default('auto'),
  prometheus: z.strictObject({ events: z.string().min(1), total: z.string().min(1) }).optional(),
});

const latencyMetric = z.strictObject({
  ...common,
  kind: z.literal('latency'),
  direction: direction.default('increase'),
  /** The percentile compared as a ratio, canary / baseline. */
  percentile: z.number().gt(0).max(100).default(95),
  /** The ratio that matters: above it (or below its inverse) the change is material. */
  maxRatio: z.number().min(1).default(1.2),
  /** Optionally also a Hodges–Lehmann shift in ms that matters. */
  maxShiftMs: z.number().nonnegative().optional(),
  minSamples: z.number().int().positive().default(100),
  prometheus: z
    .strictObject({
      /** A PromQL query returning cumulative histogram buckets with an `le` label. */
      buckets: z.string().min(1),
      unit: z.enum(['s', 'ms']).default('s'),
    })
    .optional(),
});

const distributionMetric = z.strictObject({
  ...common,
  kind: z.literal('distribution'),
  /** A distribution moves or not; it has no direction. */
  direction: z.literal('either').default('either'),
  test: z.enum(['chi-square', 'g-test']).default('chi-square'),
  /** Total variation distance between the two code distributions, in pp, that matters. */
  maxShiftPp: z.number().min(0).max(100).default(10),
  /** Errors needed in each variant before distributions are compared. */
  minErrors: z.number().int().positive().default(20),
  /** Codes with an expected count below this in either variant are pooled into "(other)" (Cochran). */
  minExpected: z.number().positive().default(5),
  prometheus: z
    .strictObject({
      /** A PromQL query returning one series per error code. */
      byCode: z.string().min(1),
      label: z.string().min(1).default('payment_error_code'),
    })
    .optional(),
});

const metric = z.discriminatedUnion('kind', [proportionMetric, latencyMetric, distributionMetric]);

const durationText = z.string().refine(isPrometheusDuration, 'expected a Prometheus duration like 10m, 1h or 1h30m');

export const judgeConfigSchema = z
  .strictObject({
    alpha: alpha.default(0.05),
    thresholds: z
      .strictObject({ pass: z.number().min(0).max(100).default(95), marginal: z.number().min(0).max(100).default(75) })
      .default({ pass: 95, marginal: 75 }),
    /** Group name → weight. Absent: every group a metric names weighs 1. */
    groups: z.record(z.string().min(1), z.number().positive()).optional(),
    metrics: z.array(metric).min(1),
    prometheus: z
      .strictObject({
        /** Replaces {{window}} in queries. */
        window: durationText.default('10m'),
        /** Replace {{variant}} in queries: the label value of each variant. */
        variants: z.strictObject({ baseline: z.string().min(1).default('baseline'), canary: z.string().min(1).default('canary') }).default({ baseline: 'baseline', canary: 'canary' }),
        timeoutMs: z.number().int().positive().default(10_000),
      })
      .default({ window: '10m', variants: { baseline: 'baseline', canary: 'canary' }, timeoutMs: 10_000 }),
  })
  .superRefine((config, ctx) => {
    if (config.thresholds.marginal > config.thresholds.pass) {
      ctx.addIssue({ code: 'custom', path: ['thresholds', 'marginal'], message: `must not exceed thresholds.pass (${config.thresholds.pass})` });
    }
    // The same label value for both sides would judge the canary against itself: it always passes.
    if (config.prometheus.variants.baseline === config.prometheus.variants.canary) {
      ctx.addIssue({ code: 'custom', path: ['prometheus', 'variants', 'canary'], message: `must differ from prometheus.variants.baseline ("${config.prometheus.variants.baseline}"): a canary judged against itself always passes` });
    }
    const seen = new Set<string>();
    config.metrics.forEach((m, i) => {
      if (seen.has(m.name)) ctx.addIssue({ code: 'custom', path: ['metrics', i, 'name'], message: `duplicate metric name "${m.name}"` });
      seen.add(m.name);
      for (const [key, query] of Object.entries(m.prometheus ?? {})) {
        if (QUERY_KEYS.has(key) && !variantPlaceholdersQuoted(query)) {
          ctx.addIssue({ code: 'custom', path: ['metrics', i, 'prometheus', key], message: 'put {{variant}} inside a double-quoted string, e.g. paychaos_variant="{{variant}}", where label values can be escaped' });
        }
      }
      if (config.groups && !Object.hasOwn(config.groups, m.group)) {
        ctx.addIssue({ code: 'custom', path: ['metrics', i, 'group'], message: `group "${m.group}" is not listed in groups (${Object.keys(config.groups).join(', ')})` });
      }
    });
  });

/** The keys of a metric's prometheus block that hold PromQL templates. */
const QUERY_KEYS: ReadonlySet<string> = new Set(['events', 'total', 'buckets', 'byCode']);

/** What a user writes (defaults optional). */
export type JudgeConfigInput = z.input<typeof judgeConfigSchema>;
/** The validated, defaulted, frozen configuration. */
export type JudgeConfig = Readonly<z.output<typeof judgeConfigSchema>>;
export type MetricConfig = JudgeConfig['metrics'][number];
export type ProportionMetricConfig = Extract<MetricConfig, { kind: 'proportion' }>;
export type LatencyMetricConfig = Extract<MetricConfig, { kind: 'latency' }>;
export type DistributionMetricConfig = Extract<MetricConfig, { kind: 'distribution' }>;
export type Direction = z.output<typeof direction>;

/**
 * The configuration used when none is given: the error rate (critical: a regression fails the
 * canary outright), the p95 latency, and the error-code mix, each needing data.
 */
export const DEFAULT_JUDGE_CONFIG: JudgeConfigInput = Object.freeze({
  groups: { errors: 60, latency: 40 },
  metrics: [
    {
      name: 'error-rate',
      kind: 'proportion',
      group: 'errors',
      count: 'failed',
      direction: 'increase',
      critical: true,
      mustHaveData: true,
      prometheus: {
        events: 'sum(increase(payment_requests_total{paychaos_variant="{{variant}}",payment_outcome="failed"}[{{window}}]))',
        total: 'sum(increase(payment_requests_total{paychaos_variant="{{variant}}"}[{{window}}]))',
      },
    },
    {
      name: 'error-codes',
      kind: 'distribution',
      group: 'errors',
      prometheus: {
        byCode: 'sum by (payment_error_code) (increase(payment_requests_total{paychaos_variant="{{variant}}",payment_outcome="failed"}[{{window}}]))',
      },
    },
    {
      name: 'latency-p95',
      kind: 'latency',
      group: 'latency',
      percentile: 95,
      direction: 'increase',
      mustHaveData: true,
      prometheus: { buckets: 'sum by (le) (increase(payment_duration_seconds_bucket{paychaos_variant="{{variant}}"}[{{window}}]))' },
    },
  ],
}) as JudgeConfigInput;

/** Validate a configuration object; throws PAYCHAOS_ERR_JUDGE_BAD_CONFIG listing every problem. */
export function parseJudgeConfig(input: unknown, source = 'judge config'): JudgeConfig {
  const parsed = judgeConfigSchema.safeParse(input);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${formatPath(issue.path)}: ${issue.message}`);
    throw paychaosError('PAYCHAOS_ERR_JUDGE_BAD_CONFIG', `${source} is invalid:\n  ${problems.join('\n  ')}`, { source, problems });
  }
  const config = deepFreeze(parsed.data);
  PARSED.add(config);
  return config;
}

const PARSED = new WeakSet<object>();

/** Whether a value came out of parseJudgeConfig (so it need not be validated again). */
export function isJudgeConfig(value: unknown): value is JudgeConfig {
  return typeof value === 'object' && value !== null && PARSED.has(value);
}
