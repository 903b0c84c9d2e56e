/**
 * The one registry of paychaos' coded errors.
 *
 * Every failure a user can meet is created here, with a stable `code`
 * (`PAYCHAOS_ERR_<AREA>_<WHAT>`), the process exit code it maps to when it reaches the CLI,
 * an HTTP status where it is answered over HTTP, and a hint that tells the user what to do.
 * Callers and tests match on `err.code`, never on message text. `docs/errors.md` documents
 * every entry; test/unit/errors.test.ts keeps the two in step.
 *
 * Exit codes are public API (DESIGN.md "Results"): 0 all held, 1 an assertion failed,
 * 2 bad input, 3 the harness itself failed, 130 interrupted (Ctrl-C, results still written).
 */

export const EXIT = Object.freeze({
  OK: 0,
  ASSERTION_FAILED: 1,
  BAD_INPUT: 2,
  HARNESS_FAILED: 3,
  INCONCLUSIVE: 4,
  INTERRUPTED: 130,
});

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

interface ErrorSpec {
  readonly exitCode: ExitCode;
  /** HTTP status when the error is answered over HTTP (the simulators, the gateway, the proxy API). */
  readonly status?: number;
  readonly hint: string;
}

const define = <T extends Record<string, ErrorSpec>>(specs: T): Readonly<T> => Object.freeze(specs);

export const ERRORS = define({
  // --- CLI: flags and arguments -------------------------------------------------------------
  PAYCHAOS_ERR_CLI_BAD_FLAG: {
    exitCode: EXIT.BAD_INPUT,
    hint: 'Run the command with --help to see each flag and the values it accepts.',
  },
  PAYCHAOS_ERR_CLI_UNKNOWN_COMMAND: {
    exitCode: EXIT.BAD_INPUT,
    hint: 'Run `paychaos --help` for the list of commands.',
  },
  PAYCHAOS_ERR_CLI_BAD_DURATION: {
    exitCode: EXIT.BAD_INPUT,
    hint: 'Give a duration like 30s, 500ms, 2m or 1m30s (a bare number means seconds).',
  },
  PAYCHAOS_ERR_CLI_BAD_NUMBER: {
    exitCode: EXIT.BAD_INPUT,
    hint: 'Give a positive number, e.g. --rate 200.',
  },
  // --- Providers ----------------------------------------------------------------------------
  PAYCHAOS_ERR_PROVIDER_UNKNOWN: {
    exitCode: EXIT.BAD_INPUT,
    hint: 'Name a provider paychaos knows (the message lists them; src/conventions/providers/ holds one descriptor each); simulators/README.md "Adding a provider" says how to add one.',
  },
  // --- Output -------------------------------------------------------------------------------
  PAYCHAOS_ERR_REPORT_OUT_DIR: {
    exitCode: EXIT.BAD_INPUT,
    hint: 'Pass --out a path you can write to: a directory for a run, a file for a report (missing directories are created).',
  },
  PAYCHAOS_ERR_REPORT_WRITE_FAILED: {
    exitCode: EXIT.HARNESS_FAILED,
    hint: 'Check free disk space and permissions on the output directory.',
  },
  PAYCHAOS_ERR_RESULTS_NOT_FOUND: {
    exitCode: EXIT.BAD_INPUT,
    hint: 'No results file at that path: `paychaos demo` and `paychaos ingest k6` write results.json in their --out directory.',
  },
  PAYCHAOS_ERR_RESULTS_INVALID: {
    exitCode: EXIT.BAD_INPUT,
    hint: 'The file is not a paychaos results.json of a supported schemaVersion; see docs/results.md.',
  },
  // --- Listening on an address a user chose ---------------------------------------------------
  PAYCHAOS_ERR_LISTEN_IN_USE: {
    exitCode: EXIT.BAD_INPUT,
    status: 409,
    hint: 'Something already listens on that port: pick another with --port (0 picks a free one), or stop what holds it (`ss -ltnp`).',
  },
  PAYCHAOS_ERR_LISTEN_BAD_ADDRESS: {
    exitCode: EXIT.BAD_INPUT,
    status: 400,
    hint: 'The host is not an address of this machine (or not an address at all): use 127.0.0.1, ::1, 0.0.0.0 or one of this machine\'s interface addresses.',
  },
  PAYCHAOS_ERR_LISTEN_NOT_PERMITTED: {
    exitCode: EXIT.BAD_INPUT,
    status: 400,
    hint: 'Ports below 1024 need privileges: pick a port of 1024 or more (0 picks a free one).',
  },
  PAYCHAOS_ERR_RESULTS_UNSUPPORTED_VERSION: {
    exitCode: EXIT.BAD_INPUT,
    hint: 'The results file was written by a paychaos with another schemaVersion: read it with that version, or re-run the scenario with this one (docs/results.md lists the versions this one reads).',
  },
  // --- Stack: starting, supervising and tearing down parts -----------------------------------
  PAYCHAOS_ERR_STACK_PORT_UNAVAILABLE: {
    exitCode: EXIT.HARNESS_FAILED,
    hint: 'No free port could be bound on 127.0.0.1; close other servers or raise the ephemeral port range.',
  },
  PAYCHAOS_ERR_STACK_START_FAILED: {
    exitCode: EXIT.HARNESS_FAILED,
    hint: 'A part of the stack would not start; the message names it, and its log is in the output directory.',
  },
  PAYCHAOS_ERR_STACK_NOT_READY: {
    exitCode: EXIT.HARNESS_FAILED,
    hint: 'A part started but never answered its readiness check in time; see its log in the output directory.',
  },
  PAYCHAOS_ERR_STACK_CHILD_CRASHED: {
    exitCode: EXIT.HARNESS_FAILED,
    hint: 'A child process of the stack exited unexpectedly; its exit code and log tail are in the message.',
  },
  PAYCHAOS_ERR_STACK_ATTACH_INVALID: {
    exitCode: EXIT.BAD_INPUT,
    hint: 'Give --attach the directory `paychaos up --out DIR` wrote (or its attach.json) while `paychaos up` is still running; the message names the field at fault.',
  },
  PAYCHAOS_ERR_STACK_ATTACH_FEES: {
    exitCode: EXIT.BAD_INPUT,
    hint: "stack.fees reaches simulators a run starts; an attached stack's simulators charge the rate they were started with. Leave stack.fees out with --attach (start the simulators with `paychaos sim <p> --fee-bps N --fee-fixed X` for a contract rate), or run without --attach.",
  },
  PAYCHAOS_ERR_STACK_ATTACH_UNREACHABLE: {
    exitCode: EXIT.BAD_INPUT,
    hint: 'The stack in the attach file does not answer: is `paychaos up` still running? Start it again and attach to the directory it prints.',
  },
  PAYCHAOS_ERR_STACK_PROMETHEUS_MISSING: {
    exitCode: EXIT.BAD_INPUT,
    hint: 'A local Prometheus needs its binary: install it (Debian/Ubuntu: apt-get install --no-install-recommends prometheus) or point PROMETHEUS_BIN at one; or leave out the flag and use the docker-compose stack.',
  },
  // --- Demo -----------------------------------------------------------------------------------
  PAYCHAOS_ERR_DEMO_BAD_CANARY_CONFIG: {
    exitCode: EXIT.BAD_INPUT,
    hint: 'A canary config takes version, extraLatencyMs (>= 0), providerErrorRate (0–1), providerTimeoutMs (> 0), seed and judge; see docs/canary.md.',
  },
  // --- Scenarios ----------------------------------------------------------------------------
  PAYCHAOS_ERR_SCENARIO_NOT_FOUND: {
    exitCode: EXIT.BAD_INPUT,
    hint: 'Give a scenario file (*.yaml) or a directory of them, e.g. `paychaos run scenarios/`.',
  },
  PAYCHAOS_ERR_SCENARIO_INVALID: {
    exitCode: EXIT.BAD_INPUT,
    hint: 'Fix each problem listed (file, then path inside it); docs/scenarios.md and scenarios/schema.json describe every field.',
  },
  PAYCHAOS_ERR_RUN_STEADY_STATE: {
    exitCode: EXIT.HARNESS_FAILED,
    hint: 'Before any fault, every system under test must answer GET /healthz (below 500) and every simulator its ledger; the message names the part that did not. Check its log in the output directory, or the --target URL.',
  },
  // --- Simulators ---------------------------------------------------------------------------
  PAYCHAOS_ERR_SIM_UNKNOWN_PROVIDER: {
    exitCode: EXIT.BAD_INPUT,
    hint: 'Pick one of the simulated providers listed by `paychaos sim --help`.',
  },
  PAYCHAOS_ERR_SIM_BAD_PROFILE: {
    exitCode: EXIT.BAD_INPUT,
    status: 400,
    hint: 'Fix the named field of the behaviour profile; simulators/README.md lists every field and its values.',
  },
  PAYCHAOS_ERR_SIM_BAD_LEDGER_QUERY: {
    exitCode: EXIT.BAD_INPUT,
    status: 400,
    hint: 'Ask /__sim/ledger with format=json (one document, the default) or format=ndjson (one entry per line, streamed).',
  },
  PAYCHAOS_ERR_SIM_BAD_SETTLEMENT_QUERY: {
    exitCode: EXIT.BAD_INPUT,
    status: 400,
    hint: 'Ask /__sim/settlement.csv with version=1 (the ledger as listed) or version=2 (fees, settlement days, faults), asOf as an ISO-8601 time and pending as true or false, with version=2 only.',
  },
  PAYCHAOS_ERR_SIM_BAD_DISPUTE: {
    exitCode: EXIT.BAD_INPUT,
    status: 400,
    hint: 'POST /__sim/disputes takes {paymentId, amount?, reason?, outcome?: lost|won|open} for a payment the simulator captured; the amount may not exceed what is captured and not refunded, and a payment is disputed once.',
  },
  PAYCHAOS_ERR_SIM_BAD_OPTION: {
    exitCode: EXIT.BAD_INPUT,
    hint: 'Fix the named simulator option (an API version like 2025-10-29.clover, an event type the simulator sends, a non-empty API key); simulators/README.md lists each option.',
  },
  // --- WireMock: providers described as stubs, served by a real WireMock ---------------------
  PAYCHAOS_ERR_WIREMOCK_JAVA_MISSING: {
    exitCode: EXIT.HARNESS_FAILED,
    hint: 'WireMock runs on Java 17 or later: install it (Debian/Ubuntu: apt-get install openjdk-17-jre-headless; macOS: brew install openjdk@17) and put `java` on PATH, or set JAVA_HOME.',
  },
  PAYCHAOS_ERR_WIREMOCK_JAR_MISSING: {
    exitCode: EXIT.HARNESS_FAILED,
    hint: 'The WireMock jar ships in the npm package `wiremock`; run `npm install` in the paychaos directory to restore it.',
  },
  PAYCHAOS_ERR_WIREMOCK_BAD_STUB: {
    exitCode: EXIT.BAD_INPUT,
    hint: 'Fix the named stub file: each holds {request, response, features?} (or an array of them) as wiremock-captain takes them; see simulators/README.md "WireMock".',
  },
  PAYCHAOS_ERR_WIREMOCK_JOURNAL_INCOMPLETE: {
    exitCode: EXIT.HARNESS_FAILED,
    hint: 'The run\'s ground truth for a WireMock provider is its request journal, and it is unreadable or lost requests: do not cap it (--max-request-journal-entries), disable it (--no-request-journal) or reset it during a run.',
  },
  // --- Gateway ------------------------------------------------------------------------------
  PAYCHAOS_ERR_GATEWAY_BAD_REQUEST: {
    exitCode: EXIT.BAD_INPUT,
    status: 400,
    hint: 'POST /payments takes JSON {orderId, amount (minor units, integer > 0), currency (ISO 4217), paymentMethod, provider?}.',
  },
  PAYCHAOS_ERR_GATEWAY_UNKNOWN_PROVIDER: {
    exitCode: EXIT.BAD_INPUT,
    status: 400,
    hint: 'The message names the providers the reference gateway charges through (the provider descriptors of src/conventions/providers); a run reaches only those it started. Drive any other provider through your own gateway.',
  },
  PAYCHAOS_ERR_GATEWAY_IDEMPOTENCY_MISMATCH: {
    exitCode: EXIT.BAD_INPUT,
    status: 422,
    hint: 'An Idempotency-Key was reused with different parameters; use a new key for a new payment.',
  },
  PAYCHAOS_ERR_GATEWAY_IDEMPOTENCY_IN_FLIGHT: {
    exitCode: EXIT.BAD_INPUT,
    status: 409,
    hint: 'A request with this Idempotency-Key is still being processed; retry the same key later.',
  },
  PAYCHAOS_ERR_GATEWAY_NOT_HELD: {
    exitCode: EXIT.BAD_INPUT,
    status: 409,
    hint: 'Only an authorisation held uncaptured is captured: charge with capture "manual" (answered 202 requires_capture) at a provider with manual capture, and capture before any cancel; a captured payment is refunded instead.',
  },
  PAYCHAOS_ERR_GATEWAY_CAPTURE_OVER_HOLD: {
    exitCode: EXIT.BAD_INPUT,
    status: 422,
    hint: 'A capture takes at most the amount held: give amount ≤ the payment\'s amount (minor units), or omit it to capture the whole hold.',
  },
  PAYCHAOS_ERR_GATEWAY_BAD_CREDENTIALS: {
    exitCode: EXIT.BAD_INPUT,
    hint: "Give the provider's credentials as its simulator lists them at GET /__sim/keys (or as its dashboard gives them; the message names the field), and its base URL as http(s)://host:port.",
  },
  PAYCHAOS_ERR_GATEWAY_BAD_CONFIG: {
    exitCode: EXIT.BAD_INPUT,
    hint: 'Fix each field the message names in the gateway config (--config gateway.yaml or PAYCHAOS_GATEWAY_CONFIG): providers by name with {url, credentials?, timeoutMs?, connections?, settleWithinMs?}, port 0–65535, variant baseline|canary, regression {extraLatencyMs, providerErrorRate, seed, skipOrderGuard, retryWithNewKey, failoverOnUnknown, noFailover, timeoutMs, noRecovery, ignoreWebhookSignature, refundKeyPerRequest, ignoreDisputes, ignoreDisputeFees, threeDSecureAsPaid, threeDSecureFallbackCard, threeDSecureAbandonedFallback, raceBlind, splitOff}, routes (each channel a configured provider), breaker, retry, shedding; see docs/gateway.md and docs/gateway-resilience.md.',
  },
  PAYCHAOS_ERR_GATEWAY_OVERLOADED: {
    exitCode: EXIT.HARNESS_FAILED,
    status: 429,
    hint: 'The gateway has as many payments in flight as it is configured to carry (shedding.maxInFlight): retry the same Idempotency-Key after the Retry-After seconds; if it happens at normal load, raise shedding.maxInFlight or add capacity.',
  },
  // --- Gateway webhooks (gateway/webhooks/) -------------------------------------------------
  PAYCHAOS_ERR_GATEWAY_WEBHOOK_BAD_SIGNATURE: {
    exitCode: EXIT.BAD_INPUT,
    status: 401,
    hint: "The notification's signature does not verify with the provider's key in the gateway config (Stripe webhookSecret, Adyen hmacKey, Alipay alipayPublicKey, WeChat Pay platformPublicKey/platformSerial, PayPal webhookId/webhookCertificate, UnionPay middleCertificate/rootCertificate vouching for signPubKeyCert, and merId), or its timestamp is outside the tolerance, or a WeChat Pay resource does not decrypt with the APIv3 key: a forgery, a replay, or the wrong key configured.",
  },
  PAYCHAOS_ERR_GATEWAY_WEBHOOK_MALFORMED: {
    exitCode: EXIT.BAD_INPUT,
    status: 400,
    hint: 'The notification is not in the shape the provider documents (a missing signature header or field, a body that is not JSON or form-encoded as the provider sends it); the reason names the field.',
  },
  PAYCHAOS_ERR_GATEWAY_WEBHOOK_UNKNOWN_PROVIDER: {
    exitCode: EXIT.BAD_INPUT,
    status: 404,
    hint: 'POST /webhooks/:provider takes stripe, adyen, alipay, wechatpay, paypal or unionpay, configured with credentials in the gateway config.',
  },
  PAYCHAOS_ERR_GATEWAY_BAD_DB: {
    exitCode: EXIT.BAD_INPUT,
    hint: 'Give --db (or `db:` in the gateway config) a file path in a directory that exists and is writable, or leave it out for an in-memory store; the file is created if missing and reopened as it is after a crash.',
  },
  PAYCHAOS_ERR_GATEWAY_STORE_COMMIT: {
    exitCode: EXIT.HARNESS_FAILED,
    status: 500,
    hint: 'The gateway could not commit a group of writes to its SQLite file (disk full, I/O error, the file locked by another process beyond busy_timeout); the group was rolled back, every request in it answered 500 without calling a provider, and the next group starts afresh. Free the disk or the lock; a retry with the same Idempotency-Key is safe.',
  },
  PAYCHAOS_ERR_GATEWAY_LEDGER_UNBALANCED: {
    exitCode: EXIT.HARNESS_FAILED,
    hint: 'A journal entry whose lines do not sum to zero per currency was refused before it was written: this is a bug in the gateway\'s ledger postings; report it with the entry in the message.',
  },
  // --- Load ---------------------------------------------------------------------------------
  PAYCHAOS_ERR_LOAD_BAD_PROFILE: {
    exitCode: EXIT.BAD_INPUT,
    hint: 'Check the load profile: rate > 0, duration > 0, maxInFlight >= 1.',
  },
  PAYCHAOS_ERR_LOAD_JOURNEY_UNSUPPORTED: {
    exitCode: EXIT.BAD_INPUT,
    hint: 'A channel of the mix cannot take a journey its shoppers would follow (a refund or cancel the reference gateway cannot ask of that provider): give that mix entry its own behaviours with the named journey at weight 0.',
  },
    // --- Load / k6 ---------------------------------------------------------------------------
  PAYCHAOS_ERR_K6_NOT_FOUND: {
    exitCode: EXIT.BAD_INPUT,
    hint: 'Install k6 v0.48 or later (https://grafana.com/docs/k6/latest/set-up/install-k6/) and put it on PATH, or use --load builtin.',
  },
  PAYCHAOS_ERR_K6_BAD_OUTPUT: {
    exitCode: EXIT.BAD_INPUT,
    hint: 'Give the NDJSON file written by `k6 run --out json=FILE` (not --summary-export or handleSummary output); the message names the line at fault.',
  },
  PAYCHAOS_ERR_K6_RUN_FAILED: {
    exitCode: EXIT.HARNESS_FAILED,
    hint: 'k6 stopped with an error of its own (script exception, bad options, aborted); its exit code and the tail of its output are in the message.',
  },
  // --- Telemetry / logging ------------------------------------------------------------------
  PAYCHAOS_ERR_LOG_BAD_LEVEL: {
    exitCode: EXIT.BAD_INPUT,
    hint: 'Set --log-level (or PAYCHAOS_LOG_LEVEL) to one of fatal, error, warn, info, debug, trace or silent.',
  },
  PAYCHAOS_ERR_TELEMETRY_BAD_OTLP: {
    exitCode: EXIT.BAD_INPUT,
    status: 400,
    hint: 'The embedded OTLP receiver could not read the body as an OTLP/HTTP export request (protobuf or JSON, optionally gzip); point an OpenTelemetry SDK or collector exporter at it (OTEL_EXPORTER_OTLP_ENDPOINT) rather than posting by hand.',
  },
  PAYCHAOS_ERR_TELEMETRY_UNSUPPORTED_MEDIA: {
    exitCode: EXIT.BAD_INPUT,
    status: 415,
    hint: 'Send OTLP/HTTP as Content-Type application/x-protobuf or application/json (OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf or http/json; grpc is not received).',
  },
  PAYCHAOS_ERR_TELEMETRY_BODY_TOO_LARGE: {
    exitCode: EXIT.BAD_INPUT,
    status: 413,
    hint: 'Export smaller batches (OTEL_BSP_MAX_EXPORT_BATCH_SIZE), or start the receiver with a larger maxBodyBytes.',
  },
  // --- Canary judge -------------------------------------------------------------------------
  PAYCHAOS_ERR_JUDGE_BAD_CONFIG: {
    exitCode: EXIT.BAD_INPUT,
    hint: 'Fix the fields named in the message; docs/canary.md documents every key and its default.',
  },
  PAYCHAOS_ERR_JUDGE_NO_VARIANT: {
    exitCode: EXIT.BAD_INPUT,
    hint: 'Give results files that hold the variant to judge: one variant each, or a baseline and a canary in one file.',
  },
  PAYCHAOS_ERR_JUDGE_BAD_REQUEST: {
    exitCode: EXIT.BAD_INPUT,
    status: 400,
    hint: 'Query parameters of /judge: window (a Prometheus duration like 10m), baseline and canary (variant label values).',
  },
  PAYCHAOS_ERR_JUDGE_PROMETHEUS_QUERY: {
    exitCode: EXIT.BAD_INPUT,
    status: 502,
    hint: 'Prometheus rejected a query of the judge config, or answered with something other than a vector; the message quotes the query and its error.',
  },
  PAYCHAOS_ERR_JUDGE_PROMETHEUS_UNREACHABLE: {
    exitCode: EXIT.HARNESS_FAILED,
    status: 502,
    hint: 'Check the --prometheus URL and that Prometheus is up; the timeout is prometheus.timeoutMs in the judge config.',
  },
  // --- Reconciliation (paychaos reconcile, reconciliation-clean) ---------------------------
  PAYCHAOS_ERR_RECONCILE_BAD_SETTLEMENT: {
    exitCode: EXIT.BAD_INPUT,
    hint: 'Give each provider\'s settlement report version 2 (a simulator serves it at /__sim/settlement.csv?version=2); the message names the file, line and column at fault.',
  },
  PAYCHAOS_ERR_RECONCILE_BAD_BOOKS: {
    exitCode: EXIT.BAD_INPUT,
    hint: 'Give the gateway\'s ledger export (the reference gateway serves it at GET /ledger; docs/gateway.md "Ledger export"); the message names every field at fault.',
  },
  PAYCHAOS_ERR_RECONCILE_UNREADABLE: {
    exitCode: EXIT.BAD_INPUT,
    hint: 'Pass a file that exists or a URL that answers 200; the message names the flag and what it could not read.',
  },
  // --- Toxiproxy: the embedded Toxiproxy-compatible server -----------------------------------
  PAYCHAOS_ERR_TOXIPROXY_BAD_ATTRIBUTE: {
    exitCode: EXIT.BAD_INPUT,
    status: 400,
    hint: 'A toxic attribute would make Toxiproxy misbehave (slicer without sizes, bandwidth rate 0, negative times); the message names it. See src/toxiproxy/README.md.',
  },
  PAYCHAOS_ERR_TOXIPROXY_BAD_LISTEN: {
    exitCode: EXIT.BAD_INPUT,
    status: 400,
    hint: 'Give every proxy a listen address with a host, such as 127.0.0.1:0; an empty or host-less listen (:8080) would bind every interface, so ask for that by name with 0.0.0.0:port or [::]:port.',
  },
  PAYCHAOS_ERR_TOXIPROXY_BAD_CONFIG: {
    exitCode: EXIT.BAD_INPUT,
    hint: 'The --config file must be a JSON array of {name, listen, upstream, enabled?}, as for toxiproxy-server -config.',
  },
  PAYCHAOS_ERR_TOXIPROXY_CONFIG_LISTEN: {
    exitCode: EXIT.BAD_INPUT,
    hint: 'A proxy of the --config file could not listen where its `listen` says: give it a valid host:port that is free on this machine (port 0 picks one).',
  },
  PAYCHAOS_ERR_TOXIPROXY_LISTEN_FAILED: {
    exitCode: EXIT.HARNESS_FAILED,
    status: 500,
    hint: 'The address could not be bound: pick a free port (0 picks one) or stop whatever holds it.',
  },
  // --- Chaos: the control plane that drives any Toxiproxy ------------------------------------
  PAYCHAOS_ERR_CHAOS_BAD_FAULT: {
    exitCode: EXIT.BAD_INPUT,
    hint: 'Check the fault step: the message names the field; see src/chaos/CREATING_FAULTS.md for each step and its parameters.',
  },
  PAYCHAOS_ERR_CHAOS_UNKNOWN_TARGET: {
    exitCode: EXIT.BAD_INPUT,
    hint: 'A fault step names a target that cannot take it (no such proxy or simulator, shoppers misnamed, or a process that is not a child of the stack); fix the target or start that part as the step needs.',
  },
  PAYCHAOS_ERR_CHAOS_TOXIPROXY_REQUEST: {
    exitCode: EXIT.HARNESS_FAILED,
    hint: 'Toxiproxy refused or failed a request; its status and message are in the error. Check TOXIPROXY_URL and the proxy state.',
  },
  PAYCHAOS_ERR_CHAOS_UNREACHABLE: {
    exitCode: EXIT.HARNESS_FAILED,
    hint: 'No Toxiproxy answered at TOXIPROXY_URL; start it, fix the URL, or unset TOXIPROXY_URL to use the embedded proxy.',
  },
  PAYCHAOS_ERR_CHAOS_TEARDOWN_FAILED: {
    exitCode: EXIT.HARNESS_FAILED,
    hint: 'Some faults could not be undone (each is named); clear toxics with `curl -X POST $TOXIPROXY_URL/reset`, PUT a simulator\'s behaviour back, or restart a killed process by hand.',
  },
  PAYCHAOS_ERR_CHAOS_BAD_TIMELINE: {
    exitCode: EXIT.BAD_INPUT,
    hint: 'Fix the timeline steps named in the message (`timeline[2].for`); src/chaos/CREATING_FAULTS.md lists every step type and its parameters.',
  },
  PAYCHAOS_ERR_CHAOS_PROVIDER_REQUEST: {
    exitCode: EXIT.HARNESS_FAILED,
    hint: 'A simulator did not answer its behaviour API (GET/PUT /__sim/behaviour) as expected; check that it is running and the URL the stack gave for it.',
  },
  // --- Anything we did not foresee ----------------------------------------------------------
  PAYCHAOS_ERR_HARNESS_BUG: {
    exitCode: EXIT.HARNESS_FAILED,
    hint: 'This is a bug in paychaos; please report it with the command line and the output directory.',
  },
});

export type ErrorCode = keyof typeof ERRORS;

export class PaychaosError extends Error {
  readonly code: ErrorCode;
  readonly exitCode: ExitCode;
  readonly status: number | undefined;
  readonly hint: string;
  /** Structured context: the field at fault, the value given, what was expected. */
  readonly details: Readonly<Record<string, unknown>>;

  constructor(code: ErrorCode, message: string, details: Record<string, unknown> = {}, options?: { cause?: unknown }) {
    super(message, options);
    const spec: ErrorSpec = ERRORS[code];
    this.name = 'PaychaosError';
    this.code = code;
    this.exitCode = spec.exitCode;
    this.status = spec.status;
    this.hint = spec.hint;
    this.details = Object.freeze({ ...details });
  }

  toJSON(): Record<string, unknown> {
    return { code: this.code, message: this.message, hint: this.hint, ...(Object.keys(this.details).length ? { details: this.details } : {}) };
  }
}

/** Create a coded error. The only way paychaos code should make a user-facing error. */
export function paychaosError(
  code: ErrorCode,
  message: string,
  details?: Record<string, unknown>,
  options?: { cause?: unknown },
): PaychaosError {
  return new PaychaosError(code, message, details, options);
}

export function isPaychaosError(err: unknown, code?: ErrorCode): err is PaychaosError {
  return err instanceof PaychaosError && (code === undefined || err.code === code);
}
