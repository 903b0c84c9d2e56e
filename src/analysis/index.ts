export { Aggregator } from './aggregator.js';
export type { AggregateSnapshot, VariantSnapshot } from './aggregator.js';
export { LatencyHistogram, round3 } from './latency-histogram.js';
export type { LatencySummary, HistogramPrecision } from './latency-histogram.js';
export { SliceAggregate, VariantAggregate } from './variant-aggregate.js';
export type { VariantCounts } from './variant-aggregate.js';
export { Timeline } from './timeline.js';
export type { TimelineBucket } from './timeline.js';
export type { PaymentEvent } from './event.js';
export { checkNoDoubleCharge, checkCapturesWithinOrders, checkForgedWebhooksRejected, PlacedOrders, placedOrderKey, checkReconciliationClean, checkLedgerBalances, checkRefundsWithinCaptures, checkVoidNeverCaptured, checkJourneysEndState, checkDisputesBooked } from './invariants/index.js';
export * from './reconcile/index.js';
export type { InvariantResult, InvariantViolation, LedgerRow, PlacedOrdersView, WebhookAttemptRow, JourneyOrder, LifecycleAnswer } from './invariants/index.js';
// k6-style thresholds over a run's payments, windowable by fault step.
export { ThresholdSet, checkThresholds, parseExpression, parseSelector, holds, METRICS as THRESHOLD_METRICS, EVENT_TAGS as THRESHOLD_TAGS } from './thresholds/index.js';
export type { ThresholdContext, ThresholdItem, ThresholdProblem, ThresholdResult, ThresholdsInput, WindowBounds, ThresholdExpression, MetricSelector } from './thresholds/index.js';
// Canary analysis (statistics and the judge), pure; its I/O is src/judge/.
export * from './canary/index.js';
export { HEALTHY_LAG_P99_MS } from './driver-health.js';
export { FailoverTracker } from './failover.js';
export { keepSlowest, qualifies } from './slowest.js';
export { failoverAssertionName, parseFailoverAssertionName, type FailoverFigure } from './failover-assertion.js';
export { Exemplars, EXEMPLAR_LIMIT } from './exemplars.js';
export type { Exemplar, ExemplarSet } from './exemplars.js';
export type { FailoverCheck, FailoverMeasure, StepWindow } from './failover.js';
