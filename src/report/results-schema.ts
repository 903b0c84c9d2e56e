import { z } from 'zod';
import { judgeReportSchema } from './judge-report-schema.js';

/**
 * results.json, schema version 1 (docs/results.md). Names are fixed: add fields freely, never
 * rename or change a meaning without bumping SCHEMA_VERSION.
 */
export const SCHEMA_VERSION = 1;

const latencyMs = z.object({
  p50: z.number().nonnegative(),
  p90: z.number().nonnegative(),
  p95: z.number().nonnegative(),
  p99: z.number().nonnegative(),
  p999: z.number().nonnegative(),
  max: z.number().nonnegative(),
  mean: z.number().nonnegative(),
});

const counts = z.object({
  requests: z.number().int().nonnegative(),
  succeeded: z.number().int().nonnegative(),
  failed: z.number().int().nonnegative(),
  pending: z.number().int().nonnegative(),
  successRate: z.number().min(0).max(1),
  latencyMs,
  errorCodes: z.record(z.string(), z.number().int().nonnegative()),
});

const variant = counts.extend({
  byProvider: z.record(z.string(), counts),
  /** Per journey step (PaymentEvent.behaviour); absent in results written before journeys were counted. */
  byBehaviour: z.record(z.string(), counts).optional(),
  latencyHistogram: z.string(),
});

const invariant = z.object({
  name: z.string(),
  /** What `checked` counts (orders, charges …); absent in files written before it was added. */
  unit: z.string().optional(),
  passed: z.boolean(),
  checked: z.number().int().nonnegative(),
  notEvaluated: z.string().optional(),
  /** Providers left unjudged while the rest was judged, each with why (reconciliation-clean: no settlement report). */
  notEvaluatedFor: z.record(z.string(), z.string()).optional(),
  violations: z.array(
    z.object({
      orderId: z.string(),
      provider: z.string(),
      message: z.string(),
      paymentIds: z.array(z.string()),
      traceId: z.string().optional(),
    }),
  ),
});

const assertion = z.object({
  name: z.string(),
  passed: z.boolean(),
  measured: z.number().nullable(),
  threshold: z.number().nullable(),
});

/**
 * A fault step as the control plane actually applied it (not as planned): `startS`/`endS` are
 * seconds since the run started when it took effect and when it was undone; `plannedAtS` and
 * `plannedForS` what the timeline asked for; `error` when applying or undoing it failed.
 */
const fault = z.object({
  id: z.string(),
  type: z.string(),
  layer: z.enum(['network', 'provider', 'client', 'process']),
  target: z.string(),
  startS: z.number().nonnegative(),
  endS: z.number().nonnegative(),
  plannedAtS: z.number().nonnegative(),
  plannedForS: z.number().nonnegative().optional(),
  error: z.string().optional(),
  /**
   * What the step did while it was on, by kind, where its layer can tell: a provider step, the
   * simulator's fault decisions by profile field (`{ commitThenError: 7 }`). Absent otherwise,
   * and in files written before it was recorded.
   */
  observed: z.record(z.string(), z.number().int().nonnegative()).optional(),
});

/**
 * A part of the stack that died unasked while the run went on (never a fault step's deliberate
 * kill): when, how it ended with its last output, and where its whole log was kept.
 */
const crash = z.object({
  part: z.string(),
  atS: z.number().nonnegative(),
  code: z.literal('PAYCHAOS_ERR_STACK_CHILD_CRASHED'),
  message: z.string(),
  log: z.string().optional(),
});

/** CPU one part used while the load ran: the harness's own process, or a child process. */
const partUsage = z.object({
  name: z.string(),
  pid: z.number().int().optional(),
  cpuS: z.number().nonnegative(),
  /** cpuS over the load's wall time: 1 = one core busy throughout. */
  cores: z.number().nonnegative(),
});

/** Server-side latency, estimated from span-metrics buckets (ms). */
const serverLatency = z.object({ p50: z.number().nonnegative(), p90: z.number().nonnegative(), p95: z.number().nonnegative(), p99: z.number().nonnegative(), max: z.number().nonnegative(), mean: z.number().nonnegative() });
const serverCalls = z.object({
  count: z.number().int().nonnegative(),
  outcomes: z.record(z.string(), z.number().int().nonnegative()),
  errorCodes: z.record(z.string(), z.number().int().nonnegative()),
  latencyMs: serverLatency,
  /** Trace ids to look up: the slowest spans, and recent failed ones. */
  exemplars: z.object({ slowest: z.array(z.string()), errored: z.array(z.string()) }),
});
const serverPayments = serverCalls.extend({ failovers: z.number().int().nonnegative() });

/**
 * What the system under test said about the run in its own spans (docs/results.md "serverSide"),
 * aggregated by the embedded OTLP receiver: present when the run received telemetry itself (no
 * collector configured). Per variant and provider: payments as the gateway answered them, and
 * the provider calls behind them — attempts, retries, failover calls, status queries.
 */
/** What a variant and each of its providers both count: payments and the calls behind them. */
const serverTallies = {
  payments: serverPayments,
  attempts: z.number().int().nonnegative(),
  retries: z.number().int().nonnegative(),
  failoverCalls: z.number().int().nonnegative(),
};
const serverSide = z.object({
  /** Where the receiver listened (what OTEL_EXPORTER_OTLP_ENDPOINT pointed at). */
  receiver: z.string(),
  spans: z.number().int().nonnegative(),
  overflowed: z.number().int().nonnegative(),
  rejected: z.number().int().nonnegative(),
  variants: z.record(
    z.string(),
    z.object({
      ...serverTallies,
      byProvider: z.record(z.string(), z.object({ ...serverTallies, queries: z.number().int().nonnegative(), calls: serverCalls })),
    }),
  ),
});

const count = z.number().int().nonnegative();
const mismatchCounts = { payments: count, matched: count, mismatches: count, byKind: z.record(z.string(), count) };

/**
 * The reconciliation statement in counts (docs/results.md "reconciliation"): present when the run
 * reconciled the gateway's books with the providers' settlement reports. Every row is in the
 * CSV named by `statement`, beside results.json.
 */
const reconciliation = z.object({
  /** The statement's file name, relative to results.json. */
  statement: z.string().min(1),
  ...mismatchCounts,
  /** Payments with a movement their provider settles on a later day (its cycle has not elapsed): not mismatches. */
  notYetDue: count.optional(),
  byProvider: z.record(z.string(), z.object(mismatchCounts)),
  /** Book entries of providers without a settlement report, by provider: not judged. */
  unreconciled: z.record(z.string(), count),
});

/**
 * A payment kept as an exemplar, with the trace id its shopper's requests carried: the way from
 * a figure to the trace of one payment behind it.
 */
const exemplar = z.object({
  traceId: z.string(),
  orderId: z.string(),
  t: z.number().nonnegative(),
  variant: z.string(),
  provider: z.string(),
  outcome: z.enum(['succeeded', 'failed', 'pending']),
  errorCode: z.string().optional(),
  status: z.number().int(),
  latencyMs: z.number().nonnegative(),
});

export const resultsSchema = z.object({
  schemaVersion: z.literal(SCHEMA_VERSION),
  runId: z.string().min(1),
  scenario: z.string().min(1),
  startedAt: z.string().datetime(),
  endedAt: z.string().datetime(),
  durationS: z.number().nonnegative(),
  /** How the run ended: completed its duration, or interrupted (Ctrl-C) — then the figures cover what ran. */
  status: z.enum(['completed', 'interrupted', 'failed']),
  paychaosVersion: z.string(),
  load: z.object({
    engine: z.enum(['builtin', 'k6']),
    targetRate: z.number().nonnegative(),
    achievedRate: z.number().nonnegative(),
    scheduledIterations: z.number().int().nonnegative(),
    droppedIterations: z.number().int().nonnegative(),
    maxInFlight: z.number().int().nonnegative(),
    eventLoopLagP99Ms: z.number().nonnegative(),
    driverHealthy: z.boolean(),
  }),
  variants: z.object({ baseline: variant.optional(), canary: variant.optional() }),
  /**
   * The warm-up phase before the measured window (load.warmup), all variants together: absent
   * when the run had none. Never part of variants, timeline, thresholds or the canary verdict.
   */
  warmup: z
    .object({
      durationS: z.number().nonnegative(),
      targetRate: z.number().nonnegative(),
      /** The ramp from a tenth of targetRate up to it, at the phase's start. */
      rampS: z.number().nonnegative(),
      /** How long it held targetRate past its nominal length, its latency not yet flat. */
      extendedS: z.number().nonnegative(),
      /** false: its latency still moved when the phase ran out — a queue draining, or building at a rate the stack cannot carry — or the run was stopped. */
      settled: z.boolean(),
      scheduledIterations: z.number().int().nonnegative(),
      droppedIterations: z.number().int().nonnegative(),
      requests: z.number().int().nonnegative(),
      succeeded: z.number().int().nonnegative(),
      failed: z.number().int().nonnegative(),
      pending: z.number().int().nonnegative(),
      successRate: z.number().min(0).max(1),
      latencyMs,
    })
    .optional(),
  timeline: z.array(
    z.object({
      t: z.number().int().nonnegative(),
      requests: z.number().int().nonnegative(),
      succeeded: z.number().int().nonnegative(),
      failed: z.number().int().nonnegative(),
      pending: z.number().int().nonnegative(),
      p50: z.number().nonnegative(),
      p95: z.number().nonnegative(),
      p99: z.number().nonnegative(),
      max: z.number().nonnegative(),
      byVariant: z.record(z.string(), z.object({ requests: z.number(), succeeded: z.number(), failed: z.number(), pending: z.number() })),
    }),
  ),
  faults: z.array(fault),
  /** Each part's CPU while the load ran (absent in files written before it was measured). */
  parts: z.array(partUsage).optional(),
  /** Absent when nothing crashed (and in files written before crashes were recorded). */
  crashes: z.array(crash).optional(),
  invariants: z.array(invariant),
  assertions: z.array(assertion),
  stack: z.record(z.string(), z.string()).optional(),
  canary: judgeReportSchema.optional(),
  /** Absent when a collector received the telemetry instead (and in files written before it was added). */
  serverSide: serverSide.optional(),
  /** Absent when the run did not reconcile (no scenario invariant asked for the books). */
  reconciliation: reconciliation.optional(),
  /** The slowest and the first failed payments with their trace ids (absent when no payment carried one: k6, older files). */
  exemplars: z.object({ slowest: z.array(exemplar), failed: z.array(exemplar) }).optional(),
});

export type Results = z.infer<typeof resultsSchema>;
export type AssertionResult = z.infer<typeof assertion>;
export type FaultRecord = z.infer<typeof fault>;
export type CrashRecord = z.infer<typeof crash>;
export type ExemplarRecord = z.infer<typeof exemplar>;
export type PartUsageRecord = z.infer<typeof partUsage>;
export type ServerSideRecord = z.infer<typeof serverSide>;
export type InvariantRecord = z.infer<typeof invariant>;
export type ReconciliationRecord = z.infer<typeof reconciliation>;
