import type { AggregateSnapshot } from '../analysis/index.js';
import { SCHEMA_VERSION, type Results } from './results-schema.js';

/** Everything a run knows at its end; buildResults lays it out as results.json. */
export interface ResultsParts {
  runId: string;
  scenario: string;
  startedAt: Date | string;
  endedAt: Date | string;
  durationS: number;
  status: Results['status'];
  paychaosVersion: string;
  load: Results['load'];
  /** The warm-up phase, measured apart (absent when the run had none). */
  warmup?: Results['warmup'];
  /** The aggregator's snapshot: variants and timeline come from it unchanged. */
  snapshot: AggregateSnapshot;
  faults?: Results['faults'];
  crashes?: Results['crashes'];
  parts?: Results['parts'];
  invariants?: Results['invariants'];
  assertions?: Results['assertions'];
  stack?: Results['stack'];
  /** The canary verdict, when the run judged one. */
  canary?: Results['canary'];
  /** The system's own spans, aggregated by the embedded OTLP receiver. */
  serverSide?: Results['serverSide'];
  /** The reconciliation statement's counts, when the run reconciled. */
  reconciliation?: Results['reconciliation'];
  /** Exemplar payments with trace ids (analysis Exemplars); left out when both lists are empty. */
  exemplars?: Results['exemplars'];
}

/**
 * The one place a results.json object is assembled, whichever engine measured the run
 * (built-in driver, k6 launched by paychaos, or `paychaos ingest k6`), so the files cannot
 * drift apart. Pure: no I/O, no clock.
 */
export function buildResults(parts: ResultsParts): Results {
  return {
    schemaVersion: SCHEMA_VERSION,
    runId: parts.runId,
    scenario: parts.scenario,
    startedAt: iso(parts.startedAt),
    endedAt: iso(parts.endedAt),
    durationS: Math.round(parts.durationS * 1000) / 1000,
    status: parts.status,
    paychaosVersion: parts.paychaosVersion,
    load: parts.load,
    variants: parts.snapshot.variants,
    ...(parts.warmup ? { warmup: parts.warmup } : {}),
    timeline: parts.snapshot.timeline,
    faults: parts.faults ?? [],
    ...(parts.parts && parts.parts.length > 0 ? { parts: parts.parts } : {}),
    ...(parts.crashes && parts.crashes.length > 0 ? { crashes: parts.crashes } : {}),
    invariants: parts.invariants ?? [],
    assertions: parts.assertions ?? [],
    ...(parts.stack ? { stack: parts.stack } : {}),
    ...(parts.canary !== undefined ? { canary: parts.canary } : {}),
    ...(parts.serverSide !== undefined ? { serverSide: parts.serverSide } : {}),
    ...(parts.reconciliation !== undefined ? { reconciliation: parts.reconciliation } : {}),
    ...(parts.exemplars && (parts.exemplars.slowest.length > 0 || parts.exemplars.failed.length > 0) ? { exemplars: parts.exemplars } : {}),
  };
}

function iso(value: Date | string): string {
  return typeof value === 'string' ? value : value.toISOString();
}
