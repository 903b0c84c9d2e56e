import { dirname } from 'node:path';
import { providerDescriptor } from '../src/conventions/index.js';
import { readConfigFile, paychaosError, type ListenOptions, type Listening, type Logger } from '../src/kernel/index.js';
import { ADYEN_REFUSAL_REASONS, startAdyenSim } from './adyen/index.js';
import { ALIPAY_OUTCOMES, startAlipaySim } from './alipay/index.js';
import { badProfileError, closeOnceLogged, parseProfile, simLogger, type Behaviour, type ContractRate, type Ledger, type SimLogOptions, type WebhookDispatcher } from './core/index.js';
import { PAYPAL_OUTCOMES, startPaypalSim } from './paypal/index.js';
import { STRIPE_OUTCOMES, startStripeSim } from './stripe/index.js';
import { UNIONPAY_OUTCOMES, startUnionPaySim } from './unionpay/index.js';
import { WECHAT_OUTCOMES, startWechatPaySim } from './wechatpay/index.js';
import { WIREMOCK_PREFIX, requireProcessHosting, resolveStubsDir, startWireMock, type ProcessHosting, type StartedWireMock } from './wiremock/index.js';

/**
 * The simulated providers, by name: what `paychaos sim <provider>` and the stack start.
 * Adding a provider means adding it here (see simulators/README.md); its name must be a
 * provider descriptor's (src/conventions/providers), which a test checks.
 */
export interface StartedNativeSimulator extends Listening {
  readonly kind: 'native';
  readonly provider: NativeSimulatorName;
  readonly ledger: Ledger;
  readonly behaviour: Behaviour;
  readonly webhooks: WebhookDispatcher;
  readonly seed: number;
  /** The simulator's redacting logger (bound to provider and runId). */
  readonly logger: Logger;
}

export interface SimulatorStartOptions extends ListenOptions {
  seed?: number;
  /** Logging: level, runId, file (see core/sim-factory.ts); WireMock's JVM logs through the supervisor. */
  log?: SimLogOptions;
  /** A behaviour profile (already parsed from its file). */
  profile?: unknown;
  /** Simulated time per real time for webhook retry ladders (60: a minute per second). */
  clockScale?: number;
  /**
   * For load tests: the shopper completes every wallet payment on their phone this long after
   * the merchant created it (Alipay's buyer pays, WeChat Pay's payer pays, PayPal's buyer
   * approves — at once, whatever the delay; a wallet shopper at Adyen authorises at the wallet). Unset, payments wait for the `/__sim/` buyer routes.
   */
  shopperApprovesAfterMs?: number;
  /** Stripe and Adyen: the API key every request must carry (401 in the provider's shape otherwise). */
  apiKey?: string;
  /** The merchant's contract rate, over the provider's list price, that the settlement report charges (a WireMock provider states no fees). */
  fees?: ContractRate;
  /** Where a WireMock provider's JVM writes `wiremock-<provider>.log` (default: beside `log.file`). */
  logDir?: string;
  /** WireMock providers (required for them): what runs and supervises the JVM, the stack's `supervisedProcesses`. */
  processes?: ProcessHosting;
}

interface SimulatorSpec {
  readonly description: string;
  readonly outcomeCodes: readonly string[];
  start(options: SimulatorStartOptions): Promise<Omit<StartedNativeSimulator, 'provider' | 'kind'>>;
}

export const SIMULATORS = Object.freeze({
  stripe: {
    description: 'Stripe-style card acquirer: PaymentIntents, refunds, 3-D Secure, Stripe-Signature webhooks',
    // Getters: this module sits in an import cycle (the gateway imports it), so nothing is read at load time.
    get outcomeCodes() {
      return Object.keys(STRIPE_OUTCOMES);
    },
    start: (o: SimulatorStartOptions) => startStripeSim(o),
  },
  adyen: {
    description: 'Adyen-style Checkout API v71: /payments, /payments/details, modifications, HMAC notifications',
    get outcomeCodes() {
      return Object.keys(ADYEN_REFUSAL_REASONS);
    },
    start: (o: SimulatorStartOptions) => startAdyenSim(o),
  },
  alipay: {
    description: 'Alipay OpenAPI gateway.do: trade.pay/precreate/create/query/close/refund, RSA2 signatures, signed async notify',
    get outcomeCodes() {
      return [...ALIPAY_OUTCOMES];
    },
    start: (o: SimulatorStartOptions) => startAlipaySim({ ...o, ...(o.shopperApprovesAfterMs !== undefined ? { buyerDelayMs: o.shopperApprovesAfterMs } : {}) }),
  },
  wechatpay: {
    description: 'WeChat Pay APIv3: JSAPI/Native/H5/App orders, query, close, refunds, WECHATPAY2-SHA256-RSA2048, AES-GCM notifications',
    get outcomeCodes() {
      return [...WECHAT_OUTCOMES];
    },
    start: (o: SimulatorStartOptions) => startWechatPaySim({ ...o, ...(o.shopperApprovesAfterMs !== undefined ? { payerDelayMs: o.shopperApprovesAfterMs } : {}) }),
  },
  paypal: {
    description: 'PayPal Orders v2: create/approve/capture, refunds, PayPal-Request-Id, PayPal-Mock-Response, signed webhooks',
    get outcomeCodes() {
      return [...PAYPAL_OUTCOMES];
    },
    start: (o: SimulatorStartOptions) => startPaypalSim({ ...o, autoApprove: o.shopperApprovesAfterMs !== undefined }),
  },
  unionpay: {
    description: 'UnionPay online gateway 5.1.0: back/front consume, refund, cancel, queryTrans, RSA-SHA256 with signPubKeyCert, back notifications',
    get outcomeCodes() {
      return [...UNIONPAY_OUTCOMES];
    },
    start: (o: SimulatorStartOptions) => startUnionPaySim({ ...o, ...(o.shopperApprovesAfterMs !== undefined ? { shopperDelayMs: o.shopperApprovesAfterMs } : {}) }),
  },
} satisfies Record<string, SimulatorSpec>);

export type NativeSimulatorName = keyof typeof SIMULATORS;

/**
 * Any other provider, described as WireMock stubs: `wiremock:<folder of simulators/wiremock/>`
 * (e.g. `wiremock:localwallet`) or `wiremock:<path to a folder of stubs>`.
 */
export type WireMockSimulatorName = `wiremock:${string}`;

export type SimulatorName = NativeSimulatorName | WireMockSimulatorName;

/** A provider served by a real WireMock: no ledger or behaviour profile of ours, only its stubs. */
export interface StartedWireMockSimulator extends Listening {
  readonly kind: 'wiremock';
  readonly provider: WireMockSimulatorName;
  /** WireMock has no seeded randomness of ours; this is the seed given, or 0. */
  readonly seed: number;
  readonly adminUrl: string;
  readonly stubsDir: string;
  readonly wiremock: StartedWireMock;
}

export type StartedSimulator = StartedNativeSimulator | StartedWireMockSimulator;

/** The native simulators (WireMock providers are named `wiremock:<provider>`). */
export const SIMULATOR_NAMES: readonly NativeSimulatorName[] = Object.freeze(Object.keys(SIMULATORS) as NativeSimulatorName[]);

export function isNativeSimulatorName(name: string): name is NativeSimulatorName {
  return Object.hasOwn(SIMULATORS, name);
}

export function isWireMockSimulatorName(name: string): name is WireMockSimulatorName {
  return name.startsWith(WIREMOCK_PREFIX) && name.length > WIREMOCK_PREFIX.length;
}

export function isSimulatorName(name: string): name is SimulatorName {
  return isNativeSimulatorName(name) || isWireMockSimulatorName(name);
}

/**
 * Start a simulator by name; a name no provider descriptor has is PAYCHAOS_ERR_PROVIDER_UNKNOWN. A
 * `wiremock:<provider>` name starts a real WireMock serving that provider's stubs (Java needed).
 */
export async function startSimulator(name: string, options: SimulatorStartOptions = {}): Promise<StartedSimulator> {
  if (isWireMockSimulatorName(name)) return startWireMockSimulator(name, options);
  if (!isNativeSimulatorName(name)) {
    // An unknown name is an unknown provider (the descriptors are the list); a known one without a
    // native simulator (wiremock:localwallet is named with its prefix) cannot reach here.
    providerDescriptor(name, 'simulator');
    throw paychaosError('PAYCHAOS_ERR_SIM_UNKNOWN_PROVIDER', `no native simulator named "${name}"; simulated providers: ${SIMULATOR_NAMES.join(', ')}, or wiremock:<provider>`, { provider: name, expected: SIMULATOR_NAMES });
  }
  const started = await SIMULATORS[name].start(options);
  return { ...started, provider: name, kind: 'native' };
}

async function startWireMockSimulator(name: WireMockSimulatorName, options: SimulatorStartOptions): Promise<StartedWireMockSimulator> {
  if (options.profile !== undefined) throw wireMockProfileError(name);
  const processes = requireProcessHosting(options.processes, name);
  const provider = name.slice(WIREMOCK_PREFIX.length);
  // The JVM's own output is kept by its supervisor as <logDir>/wiremock-<provider>.log; the
  // wrapper's lines (start, stop) go through the redacting logger like every simulator's.
  const { logger, closeLog } = simLogger(name, options.log);
  const logDir = options.logDir ?? (options.log?.file ? dirname(options.log.file) : undefined);
  let wiremock: StartedWireMock;
  try {
    wiremock = await startWireMock({ stubsDir: resolveStubsDir(provider), name: `wiremock-${provider.replace(/[^A-Za-z0-9_-]/g, '_')}`, provider: name, host: options.host ?? '127.0.0.1', port: options.port ?? 0, ...(logDir ? { logDir } : {}), processes });
  } catch (err) {
    await closeLog();
    throw err;
  }
  logger.info({ url: wiremock.url, stubsDir: wiremock.stubsDir }, 'wiremock listening');
  const close = closeOnceLogged(() => wiremock.close(), logger, 'wiremock closed', closeLog);
  return {
    kind: 'wiremock',
    provider: name,
    seed: options.seed ?? 0,
    url: wiremock.url,
    host: wiremock.host,
    port: wiremock.port,
    adminUrl: wiremock.adminUrl,
    stubsDir: wiremock.stubsDir,
    wiremock,
    close,
    [Symbol.asyncDispose]: close,
  };
}

function wireMockProfileError(name: string) {
  return paychaosError('PAYCHAOS_ERR_SIM_BAD_PROFILE', `${name} is served by WireMock and takes no behaviour profile: describe its faults in the stubs (fault, delays, status codes) or put a Toxiproxy in front of it`, { provider: name });
}

/**
 * Read a behaviour profile file (JSON or YAML) and validate it for `provider`; every problem is
 * reported at once, each with its field, as PAYCHAOS_ERR_SIM_BAD_PROFILE.
 */
export async function loadProfileFile(path: string, provider: SimulatorName): Promise<unknown> {
  if (isWireMockSimulatorName(provider)) throw wireMockProfileError(provider);
  const input = await readConfigFile(path, 'PAYCHAOS_ERR_SIM_BAD_PROFILE', 'profile');
  const parsed = parseProfile(input, SIMULATORS[provider].outcomeCodes);
  if (!parsed.ok) throw badProfileError(parsed.problems, `profile ${path}`);
  return input;
}
