import { createHash, randomBytes } from 'node:crypto';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import Fastify, { LogController, type FastifyInstance, type FastifyReply } from 'fastify';
import { EXPOSITION_CONTENT_TYPE, paychaosError, listenFastify, type ListenOptions, type Listening, type Logger, Random } from '../src/kernel/index.js';
import { ATTR, BREAKER_STATE_VALUE, paymentInstruments, type Variant } from '../src/conventions/index.js';
import { GATEWAY_RETAIN, type GatewayResponse } from './idempotency.js';
import { GatewayStore, type AttemptDone, type GroupCommitOptions, type PaymentRecord, type PaymentSplit } from './store/index.js';
import { outcomeUpdate, paymentAnswer, paymentBody, withDisputes, type PaymentResponse } from './payment-answer.js';
import { methodKindOf } from './method-kind.js';
import { Recovery, type RecoveryOptions } from './recovery.js';
import { SplitSharing } from './split-share.js';
import { activeTraceContext, alipayOutTradeNo, createProviderClient, remoteParent, unionpayOrderId, wechatOutTradeNo, type ChargeRequest, type ChargeResult, type ProviderClient, type ProviderConnection } from './clients/index.js';
import { channelsFor, createRouter, eventLoopDelayProbe, failoverAttributes, LoadShedder, shedAnswer, sheddingWithDefaults, type CallRole, type ResilienceRegression, type RoutableClient, type RouterSettings, type SheddingSettings } from './resilience/index.js';
import { RoutedAttempts } from './routed-attempts.js';
import { errorBody } from './error-body.js';
import { registerLedgerRoutes } from './ledger-routes.js';
import { registerLifecycleRoutes } from './lifecycle-routes.js';
import { applyWebhookEvent } from './webhook-apply.js';
import { feeTable, type FeeOverrides } from './fees.js';
import { AbandonedChallengeFallback } from './three-ds-abandoned-fallback.js';
import { confirmFailedChallengeAgain } from './three-ds-fallback.js';
import { webhookRoutes } from './webhooks/index.js';
import { shopperMessage } from './messages.js';
import { gatewayMetrics } from './metrics.js';
import { inSpan } from './span-scope.js';
import { newPaymentId } from './payment-id.js';

export type { PaymentResponse } from './payment-answer.js';

export interface GatewayOptions {
  /**
   * The providers this gateway charges through, by name (stripe, adyen, alipay, wechatpay,
   * paypal, wiremock:localwallet), each at its (usually proxied) URL with the merchant's
   * credentials. A payment names its provider; one that names none goes to the first.
   */
  providers: Readonly<Record<string, ProviderConnection>>;
  variant?: Variant;
  version?: string;
  /**
   * The scenario and run this gateway serves (a run's stack passes both): labels
   * `paychaos_scenario` and `paychaos_run` on every metric point and span (DESIGN.md "Telemetry
   * conventions"), so dashboards pick one run among many in the same Prometheus. Absent (a
   * standalone `paychaos gateway`), the attributes are left out, not set to '': Prometheus drops
   * an empty label anyway, so '' would only cost bytes per line, and a dashboard's All (`.*`)
   * matches a series without the label either way.
   */
  scenario?: string;
  runId?: string;
  /** Default per-call timeout for providers whose connection sets none. */
  providerTimeoutMs?: number;
  /** A deliberate regression, for canary rehearsals: what a bad release would do. */
  regression?: GatewayRegression;
  /**
   * Finished idempotency keys kept in the store (default 1,000,000), oldest reaped first by the
   * recovery loop, as are keys older than 72 h (Brandur Leach's reaper). Payments are never
   * reaped: the order guard and GET /payments read them, and they are the gateway's money record.
   */
  retain?: number;
  /**
   * The SQLite file of the gateway's state (payments, attempts, keys, webhook inbox, ledger); a
   * restart on the same file carries on where the last process stopped. Absent: in memory, the
   * same code path, gone with the process.
   */
  db?: string;
  /** How the user named `db` (`--db` on the command line), so a path that cannot be opened is reported under that name. */
  dbSetting?: string;
  /** The recovery loop's pace (gateway/recovery.ts). */
  recovery?: RecoveryOptions;
  /** How the store groups writes into commits (gateway/store/group-commit.ts); default: one commit per event-loop turn. */
  groupCommit?: GroupCommitOptions;
  /** The merchant's contract rates per provider over the list prices the ledger books (fees.ts; `fees` in the config). */
  fees?: FeeOverrides;
  /**
   * Routes, breakers and retries (docs/gateway-resilience.md; gatewayOptionsOf fills it from the
   * config). Absent: the defaults — a breaker per provider, one retry where the code allows, no
   * routes (a payment goes to the provider it names and never fails over).
   */
  resilience?: RouterSettings;
  /** Load shedding: beyond `maxInFlight` payments in flight, 429 with Retry-After (default 2048). */
  shedding?: SheddingSettings;
  /**
   * The kernel's redacting pino logger (createLogger), bound to runId and variant. Without one
   * the gateway logs nothing (tests, the in-process mode). One line per payment answer, with its
   * trace id; at `trace`, each request's headers and body too — redacted like everything else.
   */
  logger?: Logger;
}

export interface GatewayRegression extends ResilienceRegression {
  /** The forged-notification bug: POST /webhooks applies notifications without verifying their signature. */
  ignoreWebhookSignature?: boolean;
  /** The double-refund bug: each refund request gets a fresh provider key, so a retry after an unknown answer refunds again. */
  refundKeyPerRequest?: boolean;
  /** The unbooked-chargeback bug: dispute notifications are recorded but never booked (no chargeback entry, no dispute state). */
  ignoreDisputes?: boolean;
  /** The unbooked-dispute-fee bug: chargebacks are booked without the provider's dispute fee. */
  ignoreDisputeFees?: boolean;
  /**
   * The 3-D Secure bug: a card payment waiting for its shopper's challenge (requires_action with a
   * page) is taken for paid — answered 201 and its capture booked — though the provider captured nothing.
   */
  threeDSecureAsPaid?: boolean;
  /**
   * The void-racing-capture bug: a cancel of a payment whose capture is in flight does not wait for
   * it (no per-payment guard) and answers the void succeeded, though the capture may land.
   */
  raceBlind?: boolean;
  /**
   * The unsent-split bug: a marketplace order's split is booked (commission, the receiver's part,
   * the transfer) but never sent to the provider, so the provider pays the receiver nothing and
   * the platform keeps the whole sale — the reconciliation's split check must catch it.
   */
  splitOff?: boolean;
  /**
   * The 3-D Secure fallback bug: when Stripe reports that a shopper failed a card's challenge, the
   * gateway confirms the PaymentIntent again with a card that asks for no challenge
   * (three-ds-fallback.ts), so money nobody authenticated is captured.
   */
  threeDSecureFallbackCard?: boolean;
  /**
   * The abandoned 3-D Secure fallback bug: a card payment whose challenge page nobody answered
   * within the gateway's wait (CHALLENGE_WAIT_MS) and that Stripe still holds in requires_action
   * is confirmed again with a card that asks for no challenge (three-ds-abandoned-fallback.ts),
   * so money nobody authenticated is captured.
   */
  threeDSecureAbandonedFallback?: boolean;
  /** Added to every payment answer, as a slow new code path would. */
  extraLatencyMs?: number;
  /** Share of payments the gateway fails with provider_error before calling the provider (a broken client). */
  providerErrorRate?: number;
  /** Seed for which payments the regression hits, so a rehearsal replays. */
  seed?: number;
  /**
   * The double-charge bug: no order-level guard, so a client retrying a paid order under a new
   * Idempotency-Key is charged again (the money invariants must catch it).
   */
  skipOrderGuard?: boolean;
  /**
   * The crash-recovery bug: payments left pending are never queried (no recovery loop, no status
   * query when a client resumes a key), so an unknown outcome stays unknown forever.
   */
  noRecovery?: boolean;
}

interface PaymentBody {
  orderId: string;
  amount: number;
  currency: string;
  paymentMethod: string;
  /** The provider the payment names; absent: its route's primary, else the first configured. */
  provider: string | undefined;
  /** `manual`: authorise only, hold the money until a cancel voids it (ChargeRequest.capture). */
  capture: 'automatic' | 'manual';
  /** `challenge`: a card's 3-D Secure page is handed to the shopper, 202 (ChargeRequest.threeDSecure); absent: authentication_required as before. */
  threeDSecure: 'challenge' | undefined;
  /** A marketplace order: who is owed the sale, and the platform's commission (ChargeRequest.split). */
  split: PaymentSplit | undefined;
}

export interface BuiltGateway {
  readonly app: FastifyInstance;
  /** Its durable state (gateway/store/): tests read payments, attempts and the ledger here. */
  readonly store: GatewayStore;
  readonly recovery: Recovery;
  close(): Promise<void>;
  drain(limitMs?: number): Promise<void>;
}

/** Routes whose answers read nothing from the store, so never wait for a group commit. */
const STORELESS_ROUTES: ReadonlySet<string> = new Set(['/healthz', '/metrics']);
/** A lock older than this is abandoned (Brandur Leach's 90 s): its key can be taken over and resumed. */
const STALE_LOCK_MS = 90_000;
/** Finished keys are kept 72 h, then reaped (as Brandur Leach's reaper does). */
const KEY_TTL_MS = 72 * 3_600_000;

/**
 * The reference payment gateway: the system under test in demos and self-tests.
 *
 * `POST /payments` honours `Idempotency-Key` (replay, 422 on mismatch, 409 in flight) and,
 * separately, refuses to charge an order twice: a second payment for an order that already
 * succeeded returns the first result — the guard against the client that retries with a new
 * key. Each provider call carries a key derived from the client's, so the gateway's own
 * retries cannot double-charge either.
 */
export function buildGateway(options: GatewayOptions): BuiltGateway {
  const variant = options.variant ?? 'baseline';
  const regression = options.regression ?? {};
  const clients = new Map<string, ProviderClient>();
  try {
    for (const [name, connection] of Object.entries(options.providers)) {
      // The timeoutMs regression overrides every provider's own timeout: a release that shipped a too-short one.
      clients.set(name, createProviderClient(name, { timeoutMs: options.providerTimeoutMs ?? 10_000, ...connection, ...(regression.timeoutMs !== undefined ? { timeoutMs: regression.timeoutMs } : {}) }));
    }
  } catch (err) {
    for (const c of clients.values()) void c.close();
    throw err;
  }
  const defaultProvider = clients.keys().next().value;
  if (defaultProvider === undefined) throw paychaosError('PAYCHAOS_ERR_GATEWAY_UNKNOWN_PROVIDER', 'the gateway was given no provider to charge through', {});
  const retain = options.retain ?? GATEWAY_RETAIN;
  let store: GatewayStore;
  try {
    store = new GatewayStore({ ...(options.db !== undefined ? { path: options.db } : {}), flag: options.dbSetting ?? 'db', ...(options.groupCommit !== undefined ? { groupCommit: options.groupCommit } : {}), fees: feeTable(options.fees), splitsAfterPayment: SplitSharing.providers(clients), splitsReversedOnRefund: regression.splitOff ? [] : [...clients.values()].filter((c) => c.splits === true).map((c) => c.provider) });
  } catch (err) {
    for (const c of clients.values()) void c.close();
    throw err;
  }
  // What is in flight in this process, and nothing more: the orders being charged (one charge per
  // order at a time) and the payments a request or the recovery loop is calling a provider for.
  const inFlightOrders = new Set<string>();
  const working = new Set<string>();
  const sharing = new SplitSharing(store, clients, working, regression.splitOff === true, options.logger);
  // Which payments a regression hits: the kernel's seeded generator, so a rehearsal replays.
  const rng = new Random(regression.seed ?? 1);
  const draw = (): number => rng.next();
  // The abandoned 3-D Secure fallback bug: waits on the challenges handed out, then confirms the unanswered ones again.
  const abandonedChallenges = regression.threeDSecureAbandonedFallback ? new AbandonedChallengeFallback(clients, { log: options.logger }) : undefined;

  // Fastify's own per-request lines are off: the payment line below says more, once.
  const app = (options.logger ? Fastify({ loggerInstance: options.logger, logController: new LogController({ disableRequestLogging: true }), bodyLimit: 64 * 1024 }) : Fastify({ logger: false, bodyLimit: 64 * 1024 })) as unknown as FastifyInstance;
  const log = options.logger;

  // Group commit (store/group-commit.ts): no answer leaves before the writes it read or made have
  // committed — a replay read from a key stored this turn, a 409 from a claim not yet committed, a
  // GET of a settle in the same group. Free when no group is open. POST /payments and the webhooks
  // wait earlier (a commit that fails then answers as any store failure does); this is the net.
  // Health and metrics read no store: they answer at once whatever group is open.
  app.addHook('onSend', async (req, _reply, payload) => {
    if (!STORELESS_ROUTES.has(req.routeOptions.url ?? '')) await store.durable();
    return payload;
  });

  app.get('/healthz', async () => ({ ok: true, variant, version: options.version ?? '0' }));
  // By payment id (pay_…) or, as the harness and the load model ask, by order id: the order's payment.
  app.get<{ Params: { id: string } }>('/payments/:id', async (req, reply) => {
    const payment = store.payments.get(req.params.id) ?? store.payments.forOrder(req.params.id);
    return payment ? withShopperMessage({ status: 200, body: withDisputes(store, paymentBody(payment)) }, req.headers['accept-language']).body : reply.code(404).send(errorBody('PAYCHAOS_ERR_GATEWAY_BAD_REQUEST', `no payment ${req.params.id} (neither a payment id nor an order id this gateway knows)`));
  });
  app.get<{ Querystring: { orderId?: string } }>('/payments', async (req, reply) => {
    const orderId = req.query.orderId;
    if (typeof orderId !== 'string' || orderId === '') return reply.code(400).send(errorBody('PAYCHAOS_ERR_GATEWAY_BAD_REQUEST', 'orderId: give the order to look up, GET /payments?orderId=…'));
    const payment = store.payments.forOrder(orderId);
    return payment ? withShopperMessage({ status: 200, body: withDisputes(store, paymentBody(payment)) }, req.headers['accept-language']).body : reply.code(404).send(errorBody('PAYCHAOS_ERR_GATEWAY_BAD_REQUEST', `no payment for order ${orderId}`));
  });

  // After the charge: refunds, cancels and captures through the provider that charged (lifecycle-routes.ts).
  registerLifecycleRoutes(app, { store, clients, describe: (code, lang) => shopperMessage(code, lang).message, ...(regression.refundKeyPerRequest ? { refundKeyPerRequest: true } : {}), ...(regression.raceBlind ? { raceBlind: true } : {}), ...(regression.noRecovery ? {} : { settle: (p: PaymentRecord) => recovery.settle(p) }) });
  registerLedgerRoutes(app, store);
  // Provider notifications: verified with the credentials of the provider's connection, recorded
  // once in the inbox and applied (webhook-apply.ts). Registered as its own plugin: its raw-body
  // parser stays inside it.
  void app.register(
    webhookRoutes({
      credentialsOf: (provider) => options.providers[provider]?.credentials as Readonly<Record<string, unknown>> | undefined,
      // Acknowledged only once the event's inbox row and its effects have committed (else 500: the provider retries).
      onEvent: async (event) => {
        const applied = applyWebhookEvent(store, event, log, { ...(regression.ignoreDisputes ? { ignoreDisputes: true } : {}), ...(regression.ignoreDisputeFees ? { ignoreDisputeFees: true } : {}) });
        await store.durable();
        // The 3-D Secure fallback bug: a failed challenge confirmed again with another card, before the ack.
        if (regression.threeDSecureFallbackCard && applied === 'applied') await confirmFailedChallengeAgain(clients, event, log);
      },
      ...(regression.ignoreWebhookSignature ? { ignoreSignature: true } : {}),
      // A notification is handled in a server span under the traceparent it came with: the
      // payment's trace, which the simulators carry back, so the shopper's trace ends here.
      around: (provider, headers, handle) => {
        const parent = remoteParent(headers.traceparent);
        return inSpan(otel.tracer, 'webhook', { kind: SpanKind.SERVER, attributes: { ...baseAttrs, [ATTR.provider]: provider } }, parent, (_span, within) => within(handle));
      },
    }),
  );

  // The conventions' instruments, each point also kept for GET /metrics (metrics.ts).
  const metrics = gatewayMetrics(paymentInstruments('paychaos-gateway'));
  const otel = metrics.instruments;
  app.get('/metrics', async (_req, reply) => reply.type(EXPOSITION_CONTENT_TYPE).send(await metrics.text()));
  const baseAttrs = {
    [ATTR.variant]: variant,
    [ATTR.serviceVersion]: options.version ?? '0',
    ...(options.scenario !== undefined ? { [ATTR.scenario]: options.scenario } : {}),
    ...(options.runId !== undefined ? { [ATTR.run]: options.runId } : {}),
  };
  const pointAttrsOf = (provider: string, paymentMethod?: string) => ({ [ATTR.provider]: provider, [ATTR.method]: methodKindOf(provider, paymentMethod), ...baseAttrs });
  // A breaker belongs to a provider, whatever the payment method.
  const breakerAttrsOf = (provider: string) => ({ [ATTR.provider]: provider, ...baseAttrs });

  // The router: channels per route, a breaker per provider, retries by the code's advice under the
  // same provider key, failover only where the charge certainly did not happen.
  const routerSettings: RouterSettings = { ...options.resilience, regression: { ...resilienceRegressionOf(regression), ...options.resilience?.regression } };
  // The payments being routed now, by order (one charge per order at a time): the observe hook's context.
  const routing = new Map<string, RoutedAttempts>();
  const router = createRouter(routerSettings, clients, {
    observe: async (client, req, attempt, role) => {
      const book = routing.get(req.orderId);
      if (role === 'retry') otel.retries.add(1, pointAttrsOf(client.provider, req.paymentMethod));
      // A retry's or failover's row (and the failover it records) commits before the call is sent.
      const id = await book?.begin(client.provider, req.providerKey, attempt);
      const { result, attempt: done } = await chargeObserved(client, req, book?.paymentId ?? '', id, attempt, role);
      book?.done(attempt, done);
      return result;
    },
    onBreakerChange: (provider, state) => {
      log?.warn({ provider, state }, 'provider breaker');
      otel.breakerState.record(BREAKER_STATE_VALUE[state], breakerAttrsOf(provider));
    },
    onFailover: (from, to, reason) => otel.failovers.add(1, { ...pointAttrsOf(to), [ATTR.failoverFrom]: from, [ATTR.failoverReason]: reason }),
  });
  // Every breaker starts closed, and says so: the series exists (0) before the first change,
  // so a dashboard shows "closed" rather than nothing for a provider that never failed.
  for (const provider of clients.keys()) otel.breakerState.record(BREAKER_STATE_VALUE.closed, breakerAttrsOf(provider));
  const shedding = sheddingWithDefaults(options.shedding);
  const probe = shedding.maxEventLoopDelayMs !== undefined ? eventLoopDelayProbe() : undefined;
  const shedder = new LoadShedder(shedding, probe?.read);

  // Every answer is one span and one metric point, whichever path produced it.
  app.post('/payments', (req, reply) => {
    // Shed before anything costs: no span, no key row, no provider call.
    const slot = shedder.enter();
    if (!slot.admitted) {
      const shed = shedAnswer(slot);
      otel.requests.add(1, { ...pointAttrsOf('unknown'), [ATTR.outcome]: 'failed', [ATTR.errorCode]: 'rate_limited', [ATTR.providerCode]: 'gateway_overloaded' });
      return reply.code(shed.status).headers(shed.headers).send(shed.body);
    }
    // The client's trace continues here: the server span's parent is the span named by its
    // traceparent, and every provider call below is a child of this span (clients/trace-context.ts).
    const parent = remoteParent(req.headers.traceparent);
    return inSpan(otel.tracer, 'payment', { kind: SpanKind.SERVER, attributes: baseAttrs }, parent, async (span, within) => {
      const started = performance.now();
      try {
        const response = await within(() => handle(req.body, req.headers['idempotency-key'], reply));
        // The answer waits for the group holding what it says (the settle, the key's stored answer):
        // a commit that fails throws here, before any metric, as a store failure always has.
        await store.durable();
        // The provider that answered, else the one asked; an unknown one is labelled as such: label values stay bounded.
        const answered = (response.body as Partial<PaymentResponse>).provider;
        const asked = answered ?? providerOf(req.body, defaultProvider);
        // payment.failover on the span and the metric point (DESIGN.md: spans and metric points), so a dashboard splits failed-over payments.
        const attrs = { ...pointAttrsOf(clients.has(asked) ? asked : 'unknown', paymentMethodOf(req.body)), ...outcomeAttributes(response), ...failoverAttributes({ failover: (response.body as Partial<PaymentResponse>).failover === true }) };
        span.setAttributes(attrs);
        otel.requests.add(1, attrs);
        otel.duration.record((performance.now() - started) / 1000, attrs);
        if (log) logPayment(log, traceIdOf(span.spanContext().traceId, req.headers.traceparent), req, response, performance.now() - started);
        return send(reply, withShopperMessage(response, req.headers['accept-language']));
      } catch (err) {
        span.recordException(err as Error);
        span.setStatus({ code: SpanStatusCode.ERROR });
        throw err;
      }
      // The slot is held until the span has ended: it covers the whole answer.
    }).finally(() => slot.release());
  });

  async function handle(body: unknown, key: string | string[] | undefined, reply: FastifyReply): Promise<GatewayResponse> {
    const parsed = validate(body);
    if (typeof parsed === 'string') return { status: 400, body: errorBody('PAYCHAOS_ERR_GATEWAY_BAD_REQUEST', parsed) };
    if (parsed.provider !== undefined && !clients.has(parsed.provider)) {
      return { status: 400, body: errorBody('PAYCHAOS_ERR_GATEWAY_UNKNOWN_PROVIDER', `provider: "${parsed.provider}" is not one this gateway charges through (${[...clients.keys()].join(', ')})`) };
    }
    // The payment's first channel: the provider it names, else its route's primary, else the first configured.
    const channels = channelsFor(routerSettings.routes, parsed.paymentMethod, parsed.provider, defaultProvider!);
    const primary = channels[0]!;
    const client = clients.get(primary)!;
    // Authorise-only must hold on every channel the payment could take: a failover to a provider
    // that captures at once would move money the merchant asked to hold.
    const capturesAnyway = parsed.capture === 'manual' ? channels.filter((name) => clients.get(name)?.manualCapture !== true) : [];
    if (capturesAnyway.length > 0) {
      return { status: 400, body: errorBody('PAYCHAOS_ERR_GATEWAY_BAD_REQUEST', `capture: "manual" is not supported by ${capturesAnyway.join(', ')} (this gateway holds authorisations at ${[...clients.values()].filter((c) => c.manualCapture === true).map((c) => c.provider).join(', ') || 'no provider'}); omit capture to charge at once`) };
    }
    // Likewise a challenge: a channel that cannot hand the shopper a page would fail the payment instead.
    const noChallenge = parsed.threeDSecure === 'challenge' ? channels.filter((name) => clients.get(name)?.threeDSecureChallenge !== true) : [];
    if (noChallenge.length > 0) {
      return { status: 400, body: errorBody('PAYCHAOS_ERR_GATEWAY_BAD_REQUEST', `threeDSecure: "challenge" is not supported by ${noChallenge.join(', ')} (this gateway hands out 3-D Secure pages at ${[...clients.values()].filter((c) => c.threeDSecureChallenge === true).map((c) => c.provider).join(', ') || 'no provider'}); omit threeDSecure, or name one of those as provider`) };
    }
    // And a split: a channel that cannot carry it would charge the whole sale to the platform.
    const splitsAt = (c: ProviderClient | undefined): boolean => c?.splits === true || typeof c?.shareSplit === 'function';
    const noSplit = parsed.split ? channels.filter((name) => !splitsAt(clients.get(name))) : [];
    if (noSplit.length > 0) {
      return { status: 400, body: errorBody('PAYCHAOS_ERR_GATEWAY_BAD_REQUEST', `split: not supported by ${noSplit.join(', ')} (this gateway splits payments at ${[...clients.values()].filter(splitsAt).map((c) => c.provider).join(', ') || 'no provider'}); omit split, or name one of those as provider`) };
    }
    // A destination a channel's provider would refuse after the payment (Alipay 分账 takes user ids only): refused now, before any money moves.
    const badDestination = parsed.split ? channels.map((name) => clients.get(name)).find((c) => c?.splitDestination && !c.splitDestination.pattern.test(parsed.split!.destination)) : undefined;
    if (badDestination?.splitDestination) {
      return { status: 400, body: errorBody('PAYCHAOS_ERR_GATEWAY_BAD_REQUEST', `split.destination: ${badDestination.provider} shares a split with ${badDestination.splitDestination.hint}; got "${parsed.split!.destination}"`) };
    }
    if (typeof key !== 'string' || key.length === 0 || key.length > 255) {
      return { status: 400, body: errorBody('PAYCHAOS_ERR_GATEWAY_BAD_REQUEST', 'header Idempotency-Key is required (1–255 characters)') };
    }
    // `capture`, `threeDSecure` and `split` join the fingerprint only when set: keys stored before the fields existed still match.
    const fingerprint = createHash('sha256').update(JSON.stringify([parsed.orderId, parsed.amount, parsed.currency, parsed.paymentMethod, parsed.provider ?? '', ...(parsed.capture === 'manual' ? ['manual'] : []), ...(parsed.threeDSecure ? ['3ds:challenge'] : []), ...(parsed.split ? [`split:${parsed.split.destination}:${parsed.split.platformFee}`] : [])])).digest('hex');
    const claim = store.keys.claim(key, fingerprint, store.boot, store.now(), STALE_LOCK_MS);
    if (claim.kind === 'mismatch') return { status: 422, body: errorBody('PAYCHAOS_ERR_GATEWAY_IDEMPOTENCY_MISMATCH', `Idempotency-Key ${key} was used with different parameters`) };
    if (claim.kind === 'in_flight') return { status: 409, body: errorBody('PAYCHAOS_ERR_GATEWAY_IDEMPOTENCY_IN_FLIGHT', `a request with Idempotency-Key ${key} is in flight`) };
    if (claim.kind === 'replay') {
      reply.header('idempotent-replayed', 'true');
      return claim.response;
    }
    // A request with this key died after creating its payment: resume from there, not from scratch.
    if (claim.kind === 'resume' && claim.recoveryPoint === 'payment_created' && claim.paymentId !== undefined) return resume(key, claim.paymentId, client, reply);

    // Order-level guard: whatever the key, an order is charged at most once. A prior attempt
    // whose outcome is unknown (pending) is not retried under a new key either: the charge may
    // exist, so the answer stays the prior one until the provider is queried.
    const prior = regression.skipOrderGuard ? undefined : store.payments.forOrder(parsed.orderId);
    if (prior && prior.status !== 'failed') {
      if (prior.inFlightBoot === store.boot || working.has(prior.paymentId)) {
        store.keys.release(key);
        return { status: 409, body: errorBody('PAYCHAOS_ERR_GATEWAY_IDEMPOTENCY_IN_FLIGHT', `a payment for order ${parsed.orderId} is in flight`) };
      }
      const response = { status: 200, body: paymentBody(prior) };
      store.keys.finish(key, response, prior.paymentId);
      reply.header('idempotent-replayed', 'order');
      return response;
    }
    if (inFlightOrders.has(parsed.orderId)) {
      store.keys.release(key);
      return { status: 409, body: errorBody('PAYCHAOS_ERR_GATEWAY_IDEMPOTENCY_IN_FLIGHT', `a payment for order ${parsed.orderId} is in flight`) };
    }
    inFlightOrders.add(parsed.orderId);
    const paymentId = newPaymentId();
    try {
      // A slow new code path (the regression) runs before anything is recorded or sent.
      if (regression.extraLatencyMs) await new Promise((r) => setTimeout(r, regression.extraLatencyMs));
      const broken = regression.providerErrorRate !== undefined && draw() < regression.providerErrorRate;
      // Phase: the payment exists, pending, before anything is sent — a crash from here on leaves
      // the evidence the recovery loop settles by query. The charge's attempts row goes with it.
      const providerKey = `gw-${fingerprint.slice(0, 16)}-${key}`;
      const attemptId = store.createPayment(
        key,
        {
          paymentId,
          orderId: parsed.orderId,
          amount: parsed.amount,
          currency: parsed.currency,
          paymentMethod: parsed.paymentMethod,
          provider: client.provider,
          providerKey,
          providerReference: referenceOf(client.provider, parsed.orderId),
          variant,
          split: parsed.split,
        },
        !broken,
      );
      working.add(paymentId);
      // Nothing is sent before the payment row and its attempt are durable: a crash before this
      // commit leaves no trace and no charge; after it, the row the recovery loop settles.
      await store.durable();
      let result: ChargeResult;
      let attempt: AttemptDone | undefined;
      const book = new RoutedAttempts(store, paymentId, primary, attemptId, (provider) => referenceOf(provider, parsed.orderId));
      routing.set(parsed.orderId, book);
      try {
        if (broken) result = { outcome: 'failed', errorCode: 'provider_error', providerCode: 'gateway_regression', providerStatus: 0 };
        else {
          const routed = await router.charge({ orderId: parsed.orderId, amount: parsed.amount, currency: parsed.currency, paymentMethod: parsed.paymentMethod, providerKey, ...(parsed.capture === 'manual' ? { capture: 'manual' as const } : {}), ...(parsed.threeDSecure ? { threeDSecure: parsed.threeDSecure } : {}), ...(parsed.split && !regression.splitOff ? { split: parsed.split } : {}) }, parsed.provider);
          // Every call's row, the failover as decided; the last call's row completes with the settle.
          attempt = book.close(routed);
          result = regression.threeDSecureAsPaid && routed.outcome === 'pending' && routed.nextActionUrl !== undefined ? { outcome: 'succeeded', ...(routed.paymentId !== undefined ? { paymentId: routed.paymentId } : {}), providerStatus: routed.providerStatus } : routed;
        }
      } catch {
        // The router and chargeObserved turn a client's throw into an outcome; this catches their
        // own so that no path leaves the key locked and the order unguarded.
        result = clientThrew();
      } finally {
        routing.delete(parsed.orderId);
      }
      // Phase: the outcome, its attempt, its ledger entry and the key's stored answer, in one transaction.
      const settled = store.settlePayment(paymentId, outcomeUpdate(result), paymentAnswer, attempt);
      if (abandonedChallenges && settled.status === 'pending' && settled.nextActionUrl !== undefined && settled.providerPaymentId !== undefined) {
        abandonedChallenges.watch({ provider: settled.provider, orderId: settled.orderId, providerReference: settled.providerReference, providerPaymentId: settled.providerPaymentId, providerKey: settled.providerKey, amount: settled.amount, currency: settled.currency });
      }
      // A split shared after the payment goes out now, once the capture's phase is durable, and the
      // answer waits for it: a payment answered succeeded has its books complete (the transfer
      // booked) whenever the provider confirmed at once. Whatever the share's fate, the answer is
      // the payment's; a share left pending is resumed by the recovery loop.
      if (settled.splitState === 'pending') {
        try {
          await store.durable();
          await sharing.share(settled, false);
        } catch (err) {
          options.logger?.warn({ err, paymentId }, 'split sharing failed');
        }
      }
      return paymentAnswer(settled);
    } finally {
      working.delete(paymentId);
      inFlightOrders.delete(parsed.orderId);
    }
  }

  /**
   * The key's request died after its payment was created (kill -9 mid-call): the provider may have
   * the charge. Settle it by a status query; for a provider without one (Adyen), by the same call
   * under the same provider key, which the provider answers with the first call's result. A final
   * outcome finishes the key; one still unknown leaves it unlocked, for the next retry or the loop.
   */
  async function resume(key: string, paymentId: string, requested: ProviderClient, reply: FastifyReply): Promise<GatewayResponse> {
    let payment: PaymentRecord = store.payments.get(paymentId)!;
    // The payment's own provider (a failover may have moved it from the one the request named).
    const client = clients.get(payment.provider) ?? requested;
    if (payment.status === 'pending' && !regression.noRecovery) {
      if (working.has(paymentId)) {
        store.keys.unlock(key);
        return { status: 409, body: errorBody('PAYCHAOS_ERR_GATEWAY_IDEMPOTENCY_IN_FLIGHT', `payment ${paymentId} is being settled`) };
      }
      if (client.query) payment = await recovery.settle(payment);
      else {
        working.add(paymentId);
        try {
          const { result, attempt } = await chargeObserved(client, { orderId: payment.orderId, amount: payment.amount, currency: payment.currency, paymentMethod: payment.paymentMethod, providerKey: payment.providerKey, ...(payment.split && !regression.splitOff ? { split: payment.split } : {}) }, paymentId);
          payment = store.settlePayment(paymentId, outcomeUpdate(result), result.outcome === 'pending' ? undefined : paymentAnswer, attempt);
        } finally {
          working.delete(paymentId);
        }
      }
    }
    reply.header('idempotent-replayed', 'recovered');
    const response = paymentAnswer(payment);
    if (payment.status === 'pending') store.keys.unlock(key);
    else store.keys.finish(key, response, paymentId);
    return response;
  }

  /**
   * One provider call: a child span, a provider-call metric point and an attempts row (begun
   * before the call — by the caller's transaction when it passes `attemptId` — and completed by
   * the caller's settle with the AttemptDone returned). Never throws: a client that throws is an
   * outcome (clientThrew), recorded like any other; only a failed commit of its own row throws.
   */
  function chargeObserved(client: RoutableClient, req: ChargeRequest, paymentId: string, attemptId?: number, attemptNo = 1, role: CallRole = 'first'): Promise<{ result: ChargeResult; attempt: AttemptDone }> {
    // Retry and failover on the span only (not the metric point: no new label on payment.provider.calls),
    // so a trace — and the embedded receiver's server-side view — tells a retry from a failover call.
    const callAttrs = { [ATTR.provider]: client.provider, [ATTR.attempt]: attemptNo, [ATTR.retry]: role === 'retry', [ATTR.failover]: role === 'failover' };
    // Each attempt (a retry, a failover) is its own client span under the payment's, and what the
    // provider is sent as traceparent: its parent is this attempt.
    const parent = activeTraceContext();
    return inSpan(otel.tracer, 'provider.charge', { kind: SpanKind.CLIENT, attributes: callAttrs }, parent, async (span, within) => {
      const started = performance.now();
      const id = attemptId ?? store.attempts.begin(paymentId, 'charge', client.provider, req.providerKey, store.now());
      // A row begun here commits before the call (a caller's row was committed by the caller);
      // a commit that fails throws: nothing was sent.
      if (attemptId === undefined) await store.durable();
      let result: ChargeResult;
      try {
        result = await within(() => client.charge(req));
      } catch (err) {
        span.recordException(err as Error);
        span.setStatus({ code: SpanStatusCode.ERROR });
        result = clientThrew();
      }
      const attrs = { ...pointAttrsOf(client.provider, req.paymentMethod), [ATTR.outcome]: result.outcome, [ATTR.errorCode]: result.errorCode ?? '', [ATTR.providerCode]: result.providerCode ?? '' };
      span.setAttributes(attrs);
      otel.providerCalls.add(1, attrs);
      otel.providerDuration.record((performance.now() - started) / 1000, attrs);
      return { result, attempt: { id, result, durationMs: performance.now() - started } };
    });
  }

  const recovery = new Recovery(store, clients, working, options.recovery ?? {}, {
    ...(options.logger ? { log: options.logger } : {}),
    // Housekeeping rides on the loop: keys older than 72 h, and beyond `retain`, are reaped.
    afterPass: () => store.keys.reap(store.now() - KEY_TTL_MS, retain),
    shareSplits: (limit) => sharing.resumePending(limit),
    // A status query is a provider call like a charge: its own client span and metric point.
    observe: (provider, query) => {
      // Under the request that asked (a resumed key), else a trace of its own (the loop).
      const parent = activeTraceContext();
      return inSpan(otel.tracer, 'provider.query', { kind: SpanKind.CLIENT, attributes: { [ATTR.provider]: provider } }, parent, async (span, within) => {
        const started = performance.now();
        const answer = await within(query);
        const result = answer.kind === 'final' || answer.kind === 'waiting' ? answer.result : undefined;
        const attrs = { ...pointAttrsOf(provider), [ATTR.outcome]: result?.outcome ?? 'pending', [ATTR.errorCode]: result?.errorCode ?? (answer.kind === 'unknown' ? 'outcome_unknown' : ''), [ATTR.providerCode]: result?.providerCode ?? '' };
        span.setAttributes({ ...attrs, 'paychaos.query.answer': answer.kind });
        otel.providerCalls.add(1, attrs);
        otel.providerDuration.record((performance.now() - started) / 1000, attrs);
        return answer;
      });
    },
  });
  if (!regression.noRecovery) recovery.start();

  let closed: Promise<void> | undefined;
  return {
    app,
    store,
    recovery,
    // Until the payments in flight have answered (bounded): a graceful stop lets their answers reach the client.
    drain: (limitMs = DRAIN_LIMIT_MS) => drained(inFlightOrders, limitMs),
    close: () =>
      (closed ??= (async () => {
        await app.close();
        // The abandoned-challenge bug's waits end with the gateway; a confirm under way finishes first.
        await abandonedChallenges?.close();
        // A charge still running (a wallet waiting for the shopper, a slow provider) keeps calling
        // its provider after the sockets are gone: let it finish, so once close resolves nothing
        // more reaches a provider and the ledgers can be read as final.
        await recovery.stop();
        await drained(inFlightOrders, DRAIN_LIMIT_MS);
        probe?.close();
        await metrics.close();
        await Promise.all([...clients.values()].map((c) => c.close()));
        store.close();
      })()),
  };
}

/**
 * The trace id a payment's log line carries: its span's when a tracer is installed, else the
 * caller's W3C traceparent, else a fresh one — so every line can be found again, SDK or not.
 */
function traceIdOf(spanTraceId: string, traceparent: string | string[] | undefined): string {
  if (!/^0+$/.test(spanTraceId)) return spanTraceId;
  const m = typeof traceparent === 'string' ? /^[0-9a-f]{2}-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}$/.exec(traceparent) : null;
  return m && !/^0+$/.test(m[1]!) ? m[1]! : randomBytes(16).toString('hex');
}

/**
 * One line per answer: at info the ones an SRE looks for (declines, unknown outcomes, refusals),
 * a success at debug — at thousands of payments a second, a line each would cost the gateway
 * more than the payment.
 */
function logPayment(log: Logger, traceId: string, req: { headers: Record<string, unknown>; body: unknown }, response: GatewayResponse, ms: number): void {
  const body = response.body as Partial<PaymentResponse> & { error?: { code?: string } };
  const line = {
    traceId,
    httpStatus: response.status,
    orderId: body.orderId,
    provider: body.provider,
    status: body.status,
    errorCode: body.errorCode ?? body.error?.code,
    providerCode: body.providerCode,
    providerPaymentId: body.providerPaymentId,
    durationMs: Math.round(ms * 10) / 10,
  };
  if (response.status === 201) log.debug(line, 'payment');
  else log.info(line, 'payment');
  // Everything the client sent, for debugging a client: the logger redacts keys, cards and signatures.
  if (log.isLevelEnabled('trace')) log.trace({ traceId, headers: req.headers, body: req.body }, 'payment request');
}

/** Providers whose order-number syntax forbids the shop's order id get a number derived from it. */
const PROVIDER_REFERENCE: Readonly<Record<string, (orderId: string) => string>> = { alipay: alipayOutTradeNo, wechatpay: wechatOutTradeNo, unionpay: unionpayOrderId };

/** The merchant order number a provider files the order under. */
function referenceOf(provider: string, orderId: string): string {
  return (PROVIDER_REFERENCE[provider] ?? ((id: string) => id))(orderId);
}

/** The router's regressions among the gateway's. */
function resilienceRegressionOf(r: GatewayRegression): ResilienceRegression {
  return {
    ...(r.retryWithNewKey !== undefined ? { retryWithNewKey: r.retryWithNewKey } : {}),
    ...(r.failoverOnUnknown !== undefined ? { failoverOnUnknown: r.failoverOnUnknown } : {}),
    ...(r.noFailover !== undefined ? { noFailover: r.noFailover } : {}),
  };
}

/**
 * What a client that threw means. It may have thrown after the provider got the request (reading
 * the answer, say), so the charge may exist: pending, outcome unknown — recorded for the order like
 * any pending answer, so the order guard refuses a new key instead of charging again (a wallet
 * without idempotency keys would take the money twice). The gateway answers 504.
 */
function clientThrew(): ChargeResult {
  return { outcome: 'pending', errorCode: 'outcome_unknown', providerCode: 'client_error', providerStatus: 0 };
}

/** Outcome attributes of an answer: a payment body's own, or what an error answer means. */
function outcomeAttributes(response: GatewayResponse): Record<string, string> {
  const body = response.body as Partial<PaymentResponse>;
  if (typeof body.status === 'string') return { [ATTR.outcome]: body.status, [ATTR.errorCode]: body.errorCode ?? '', [ATTR.providerCode]: body.providerCode ?? '' };
  const errorCode = response.status === 409 ? 'duplicate_transaction' : 'invalid_request';
  return { [ATTR.outcome]: response.status === 409 ? 'pending' : 'failed', [ATTR.errorCode]: errorCode, [ATTR.providerCode]: '' };
}

/**
 * A payment answer with an error code gets the shopper's message for it, in the language the
 * request prefers (messages.ts). Added when answering, not stored: a replayed key or a poll in
 * another language reads its own.
 */
function withShopperMessage(response: GatewayResponse, acceptLanguage: string | string[] | undefined): GatewayResponse {
  const body = response.body as Partial<PaymentResponse>;
  if (typeof body?.status !== 'string' || body.errorCode === undefined || body.status === 'succeeded') return response;
  return { status: response.status, body: { ...body, message: shopperMessage(body.errorCode, acceptLanguage).message } };
}

function send(reply: FastifyReply, response: GatewayResponse): FastifyReply {
  return reply.code(response.status).send(response.body);
}


/** The payment method a request named, for its metric point's method label (methodKindOf). */
function paymentMethodOf(body: unknown): string | undefined {
  const pm = body !== null && typeof body === 'object' ? (body as { paymentMethod?: unknown }).paymentMethod : undefined;
  return typeof pm === 'string' ? pm : undefined;
}

/** The provider a request asked for, for its metric point even when the request is refused. */
function providerOf(body: unknown, fallback: string): string {
  const p = typeof body === 'object' && body !== null ? (body as Record<string, unknown>).provider : undefined;
  return typeof p === 'string' && p.length > 0 && p.length <= 64 ? p : fallback;
}

function validate(body: unknown): PaymentBody | string {
  if (typeof body !== 'object' || body === null) return 'body must be a JSON object';
  const b = body as Record<string, unknown>;
  if (typeof b.orderId !== 'string' || !/^[A-Za-z0-9_-]{1,64}$/.test(b.orderId)) return 'orderId: expected 1–64 letters, digits, _ or -';
  if (typeof b.amount !== 'number' || !Number.isSafeInteger(b.amount) || b.amount <= 0) return 'amount: expected a positive integer in minor units';
  if (typeof b.currency !== 'string' || !/^[A-Za-z]{3}$/.test(b.currency)) return 'currency: expected an ISO 4217 code such as EUR';
  if (typeof b.paymentMethod !== 'string' || b.paymentMethod.length === 0 || b.paymentMethod.length > 64) return 'paymentMethod: expected a payment method id such as pm_card_visa';
  if (b.provider !== undefined && (typeof b.provider !== 'string' || !/^[a-z0-9:_-]{1,64}$/.test(b.provider))) return 'provider: expected a provider name such as stripe or alipay';
  if (b.capture !== undefined && b.capture !== 'automatic' && b.capture !== 'manual') return 'capture: expected "automatic" (the default) or "manual" (authorise only; cancel voids it)';
  const split = splitOf(b.split, b.amount as number);
  if (typeof split === 'string') return split;
  if (b.threeDSecure !== undefined && b.threeDSecure !== 'challenge') return 'threeDSecure: expected "challenge" (a card needing 3-D Secure answers 202 with nextAction, the page for the shopper) or no field (it fails authentication_required)';
  return { orderId: b.orderId, amount: b.amount, currency: b.currency.toLowerCase(), paymentMethod: b.paymentMethod, provider: typeof b.provider === 'string' ? b.provider : undefined, capture: b.capture === 'manual' ? 'manual' : 'automatic', threeDSecure: b.threeDSecure === 'challenge' ? 'challenge' : undefined, split };
}

/**
 * A marketplace order's `split`: `{ destination, platformFee }` — the provider's id of the account
 * owed the sale (Stripe `acct_…`, an Adyen balance account) and the platform's commission in minor
 * units, 0 to the amount. Absent: not split. Why a fee in minor units rather than a percentage:
 * the commission is the marketplace's business decision per order (rates, caps, promotions), and a
 * rounded amount is what both the provider and the books must agree on to the unit.
 */
function splitOf(raw: unknown, amount: number): PaymentSplit | undefined | string {
  if (raw === undefined) return undefined;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return 'split: expected an object { destination, platformFee }';
  const r = raw as Record<string, unknown>;
  const unknown = Object.keys(r).filter((k) => k !== 'destination' && k !== 'platformFee');
  if (unknown.length > 0) return `split.${unknown[0]}: unknown field; a split has destination and platformFee`;
  if (typeof r.destination !== 'string' || !/^[A-Za-z0-9_]{1,64}$/.test(r.destination)) return 'split.destination: expected the provider\'s id of the account owed the sale, 1–64 letters, digits or _ (acct_… at Stripe, a balance account at Adyen)';
  if (typeof r.platformFee !== 'number' || !Number.isSafeInteger(r.platformFee) || r.platformFee < 0 || r.platformFee > amount) return `split.platformFee: expected the platform's commission in minor units, an integer from 0 to the amount (${amount})`;
  return { destination: r.destination, platformFee: r.platformFee };
}

/** How long close waits for charges in flight: a provider timeout plus a wallet's settle time, with room. */
const DRAIN_LIMIT_MS = 15_000;

async function drained(inFlight: ReadonlySet<string>, limitMs: number): Promise<void> {
  const deadline = performance.now() + limitMs;
  while (inFlight.size > 0 && performance.now() < deadline) await new Promise((r) => setTimeout(r, 10));
}

/** Start a gateway instance on 127.0.0.1 (port 0 unless given). */
export interface StartedGateway extends Listening {
  /** Its durable state, for tests that look behind the API. */
  readonly store: GatewayStore;
}

export async function startGateway(options: GatewayOptions & ListenOptions): Promise<StartedGateway> {
  const gw = buildGateway(options);
  let listening: Listening;
  try {
    listening = await listenFastify(gw.app, options);
  } catch (err) {
    await gw.close();
    throw err;
  }
  let closing: Promise<void> | undefined;
  // Idempotent: a run closes its gateways before reading the ledgers, and its supervisor again.
  const close = (): Promise<void> =>
    (closing ??= (async () => {
      // Graceful: stop accepting connections, let the payments in flight answer their clients,
      // then cut what is left (keep-alive sockets) and close the provider clients.
      gw.app.server.close();
      gw.app.server.closeIdleConnections?.();
      await gw.drain();
      await listening.close();
      await gw.close();
    })());
  return { ...listening, store: gw.store, close, [Symbol.asyncDispose]: close };
}
