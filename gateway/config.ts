import { z } from 'zod';
import { invalid, parseStrict, readConfigFile } from '../src/kernel/index.js';
import { feeOverridesSchema } from './fees.js';
import type { GatewayOptions } from './server.js';
import { breakerSchema, clientConnectionsOf, routerSettingsOf, resilienceRegressionShape, retrySchema, routeProblems, routesSchema, sheddingSchema } from './resilience/index.js';

/**
 * The standalone gateway's configuration (docs/gateway.md): what `paychaos gateway` and
 * `gateway/main.ts` read from a YAML/JSON file (`--config`), from `PAYCHAOS_GATEWAY_CONFIG`
 * (the same document inline — how the stack hands a child its providers' credentials without
 * writing them to disk), and from flags, which win. Validated strictly, once: every problem with
 * its path, PAYCHAOS_ERR_GATEWAY_BAD_CONFIG (exit 2). Issue #11 grows this (db, routes, breakers)
 * without changing how it is read.
 */
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const connection = z.strictObject({
  url: z.string().min(1),
  credentials: z.record(z.string(), z.unknown()).optional(),
  timeoutMs: z.number().int().positive().optional(),
  connections: z.number().int().positive().optional(),
  settleWithinMs: z.number().int().nonnegative().optional(),
  queryWindowMs: z.number().int().nonnegative().optional(),
  /** This provider's breaker, over the top-level `breaker` defaults (docs/gateway-resilience.md). */
  breaker: breakerSchema.optional(),
});

export const gatewayConfigSchema = z.strictObject({
  host: z.string().min(1).default('127.0.0.1'),
  port: z.number().int().min(0).max(65535).default(0),
  variant: z.enum(['baseline', 'canary']).default('baseline'),
  version: z.string().min(1).optional(),
  /** Bound on every log line, so a run's logs join its results; label `paychaos_run` on every metric point. */
  runId: z.string().min(1).optional(),
  /** The scenario of the run this gateway serves: label `paychaos_scenario` on every metric point. */
  scenario: z.string().min(1).optional(),
  logLevel: z.enum(LOG_LEVELS).optional(),
  providerTimeoutMs: z.number().int().positive().optional(),
  retain: z.number().int().positive().optional(),
  regression: z
    .strictObject({
      extraLatencyMs: z.number().int().nonnegative().optional(),
      providerErrorRate: z.number().min(0).max(1).optional(),
      seed: z.number().int().nonnegative().optional(),
      skipOrderGuard: z.boolean().optional(),
      ...resilienceRegressionShape,
      noRecovery: z.boolean().optional(),
      /** The forged-notification bug: webhooks are applied without verifying their signature. */
      ignoreWebhookSignature: z.boolean().optional(),
      /** The double-refund bug: a fresh provider key per refund request, so a retry after an unknown answer refunds again. */
      refundKeyPerRequest: z.boolean().optional(),
      /** The unbooked-chargeback bug: dispute notifications are acknowledged and recorded, never booked. */
      ignoreDisputes: z.boolean().optional(),
      /** The unbooked-dispute-fee bug: chargebacks are booked without the provider's dispute fee. */
      ignoreDisputeFees: z.boolean().optional(),
      /** The 3-D Secure bug: a payment waiting for its challenge is answered and booked succeeded. */
      threeDSecureAsPaid: z.boolean().optional(),
      /** The void-racing-capture bug: a cancel does not wait for a capture in flight on its payment and answers the void succeeded. */
      raceBlind: z.boolean().optional(),
      splitOff: z.boolean().optional(),
      /** The 3-D Secure fallback bug: a payment whose challenge failed is confirmed again with a card that needs none, and captured. */
      threeDSecureFallbackCard: z.boolean().optional(),
      /** The abandoned 3-D Secure fallback bug: a challenge left unanswered past the gateway's wait is confirmed again with a card that needs none, and captured. */
      threeDSecureAbandonedFallback: z.boolean().optional(),
    })
    .optional(),
  providers: z.record(z.string().regex(/^[a-z0-9:_-]{1,64}$/, 'a provider name such as stripe or wiremock:localwallet'), connection).refine((p) => Object.keys(p).length > 0, 'name at least one provider to charge through'),
  /** The SQLite file of the gateway's state (`--db`); absent: in memory. */
  db: z.string().min(1).optional(),
  /**
   * How the store groups writes into commits (gateway/store/group-commit.ts): `intervalMs` 0 (the
   * default) commits every event-loop turn's writes together; `maxWrites` caps a group.
   */
  groupCommit: z
    .strictObject({
      intervalMs: z.number().int().nonnegative().optional(),
      maxWrites: z.number().int().positive().optional(),
    })
    .optional(),
  /** The recovery loop's pace (gateway/recovery.ts). */
  recovery: z
    .strictObject({
      intervalMs: z.number().int().positive().optional(),
      absentAfterMs: z.number().int().nonnegative().optional(),
      batch: z.number().int().positive().optional(),
    })
    .optional(),
  /** Per payment method (or `prefix*`), the channels to try in order; none: a payment goes where it names, no failover. */
  routes: routesSchema.optional(),
  /** Breaker defaults for every provider (each provider's `breaker` overrides). */
  breaker: breakerSchema.optional(),
  retry: retrySchema.optional(),
  shedding: sheddingSchema.optional(),
  /** The merchant's contract rates per provider (fees.ts), over the list prices the ledger books. */
  fees: feeOverridesSchema.optional(),
}).superRefine((config, ctx) => {
  // A route is only as good as its channels: one the gateway has no client for fails at the worst moment, mid-outage.
  for (const p of routeProblems(config.routes, Object.keys(config.providers))) ctx.addIssue({ code: 'custom', path: p.path, message: p.message });
});

export type GatewayConfig = z.output<typeof gatewayConfigSchema>;
/** What a caller may give before defaults: the document as written. */
export type GatewayConfigDocument = z.input<typeof gatewayConfigSchema>;

/** Flags that override the document (`--port`, `--variant`, `--log-level`, `--db`). */
export interface GatewayConfigOverrides {
  port?: number;
  db?: string;
  variant?: string;
  logLevel?: string;
}

const WHAT = 'gateway config';

/** Validate a document (already read), with flag overrides applied on top. */
export function parseGatewayConfig(document: unknown, overrides: GatewayConfigOverrides = {}): Readonly<GatewayConfig> {
  const base = document === undefined || document === null ? {} : document;
  if (typeof base !== 'object' || Array.isArray(base)) throw invalid('PAYCHAOS_ERR_GATEWAY_BAD_CONFIG', WHAT, [{ path: '(root)', message: 'expected a mapping of settings (providers, port, variant …)' }]);
  const merged = { ...(base as Record<string, unknown>), ...definedOnly(overrides) };
  return parseStrict(gatewayConfigSchema, merged, 'PAYCHAOS_ERR_GATEWAY_BAD_CONFIG', WHAT);
}

/**
 * Read the config from its sources: a file, else `PAYCHAOS_GATEWAY_CONFIG` (JSON), then flags.
 * Giving both a file and the variable is a mistake (which one wins would be a guess), so it is refused.
 */
export async function loadGatewayConfig(source: { file?: string; inline?: string; overrides?: GatewayConfigOverrides }): Promise<Readonly<GatewayConfig>> {
  if (source.file !== undefined && source.inline !== undefined && source.inline !== '') {
    throw invalid('PAYCHAOS_ERR_GATEWAY_BAD_CONFIG', WHAT, [{ path: '(root)', message: `given both as --config ${source.file} and in PAYCHAOS_GATEWAY_CONFIG; give one` }]);
  }
  let document: unknown;
  if (source.file !== undefined) document = await readConfigFile(source.file, 'PAYCHAOS_ERR_GATEWAY_BAD_CONFIG', WHAT);
  else if (source.inline !== undefined && source.inline !== '') {
    try {
      document = JSON.parse(source.inline);
    } catch (err) {
      throw invalid('PAYCHAOS_ERR_GATEWAY_BAD_CONFIG', `${WHAT} in PAYCHAOS_GATEWAY_CONFIG`, [{ path: '(root)', message: `not JSON: ${(err as Error).message}` }]);
    }
  }
  return parseGatewayConfig(document, source.overrides);
}

/** The in-process gateway's options from a validated config. */
export function gatewayOptionsOf(config: Readonly<GatewayConfig>): GatewayOptions {
  return {
    providers: clientConnectionsOf(config),
    variant: config.variant,
    ...(config.version !== undefined ? { version: config.version } : {}),
    ...(config.runId !== undefined ? { runId: config.runId } : {}),
    ...(config.scenario !== undefined ? { scenario: config.scenario } : {}),
    ...(config.providerTimeoutMs !== undefined ? { providerTimeoutMs: config.providerTimeoutMs } : {}),
    ...(config.retain !== undefined ? { retain: config.retain } : {}),
    ...(config.regression !== undefined ? { regression: config.regression } : {}),
    ...(config.db !== undefined ? { db: config.db } : {}),
    ...(config.recovery !== undefined ? { recovery: config.recovery } : {}),
    ...(config.groupCommit !== undefined ? { groupCommit: config.groupCommit } : {}),
    resilience: routerSettingsOf(config),
    ...(config.shedding !== undefined ? { shedding: config.shedding } : {}),
    ...(config.fees !== undefined ? { fees: config.fees } : {}),
  };
}

/**
 * The config document for a gateway given as options (the inverse of gatewayOptionsOf): how the
 * stack hands an in-process-shaped config to a child process (PAYCHAOS_GATEWAY_CONFIG). The
 * router's settings go back to where the document keeps them — `routes`, `breaker`, `retry` at
 * the top, each provider's breaker under its connection, the router's regressions under
 * `regression` — so a child validates exactly what an in-process gateway would run.
 */
export function configDocumentOf<T extends Omit<GatewayOptions, 'logger' | 'dbSetting'>>(options: T): Record<string, unknown> {
  const { resilience, ...rest } = options;
  if (resilience === undefined) return rest;
  const providers = Object.fromEntries(Object.entries(rest.providers).map(([name, c]) => [name, resilience.breakers?.[name] !== undefined ? { ...c, breaker: resilience.breakers[name] } : c]));
  const regression = { ...resilience.regression, ...(resilience.seed !== undefined ? { seed: resilience.seed } : {}), ...rest.regression };
  return {
    ...rest,
    providers,
    ...(resilience.routes !== undefined ? { routes: resilience.routes } : {}),
    ...(resilience.breaker !== undefined ? { breaker: resilience.breaker } : {}),
    ...(resilience.retry !== undefined ? { retry: resilience.retry } : {}),
    ...(Object.keys(regression).length > 0 ? { regression } : {}),
  };
}

function definedOnly(o: GatewayConfigOverrides): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}

