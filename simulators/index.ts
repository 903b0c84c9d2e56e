import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import { paychaosError } from '../src/errors.js';
import type { ListenOptions, Listening } from '../src/stack/index.js';
import { ADYEN_REFUSAL_REASONS, startAdyenSim } from './adyen/index.js';
import { badProfileError, parseProfile, scaledClock, systemClock, type Behaviour, type Ledger, type WebhookDispatcher } from './core/index.js';
import { STRIPE_OUTCOMES, startStripeSim } from './stripe/index.js';

// The public surface of every simulator: the core, and each provider's own.
export * from './core/index.js';
export * from './stripe/index.js';
export * from './adyen/index.js';

/**
 * The simulated providers, by name: what `paychaos sim <provider>` and the stack start.
 * Adding a provider means adding it here (see simulators/README.md).
 */
export interface StartedSimulator extends Listening {
  readonly provider: SimulatorName;
  readonly ledger: Ledger;
  readonly behaviour: Behaviour;
  readonly webhooks: WebhookDispatcher;
  readonly seed: number;
}

export interface SimulatorStartOptions extends ListenOptions {
  seed?: number;
  /** A behaviour profile (already parsed from its file). */
  profile?: unknown;
  /** Simulated time per real time for webhook retry ladders (60: a minute per second). */
  clockScale?: number;
}

interface SimulatorSpec {
  readonly description: string;
  readonly outcomeCodes: readonly string[];
  start(options: SimulatorStartOptions): Promise<Omit<StartedSimulator, 'provider'>>;
}

const clockOf = (o: SimulatorStartOptions) => (o.clockScale && o.clockScale !== 1 ? scaledClock(o.clockScale) : systemClock);

export const SIMULATORS = Object.freeze({
  stripe: {
    description: 'Stripe-style card acquirer: PaymentIntents, refunds, 3-D Secure, Stripe-Signature webhooks',
    // Getters: this module sits in an import cycle (the gateway imports it), so nothing is read at load time.
    get outcomeCodes() {
      return Object.keys(STRIPE_OUTCOMES);
    },
    start: (o: SimulatorStartOptions) => startStripeSim({ ...o, clock: clockOf(o) }),
  },
  adyen: {
    description: 'Adyen-style Checkout API v71: /payments, /payments/details, modifications, HMAC notifications',
    get outcomeCodes() {
      return Object.keys(ADYEN_REFUSAL_REASONS);
    },
    start: (o: SimulatorStartOptions) => startAdyenSim({ ...o, clock: clockOf(o) }),
  },
} satisfies Record<string, SimulatorSpec>);

export type SimulatorName = keyof typeof SIMULATORS;

export const SIMULATOR_NAMES: readonly SimulatorName[] = Object.freeze(Object.keys(SIMULATORS) as SimulatorName[]);

export function isSimulatorName(name: string): name is SimulatorName {
  return Object.hasOwn(SIMULATORS, name);
}

/** Start a simulator by name; an unknown name is PAYCHAOS_ERR_SIM_UNKNOWN_PROVIDER. */
export async function startSimulator(name: string, options: SimulatorStartOptions = {}): Promise<StartedSimulator> {
  if (!isSimulatorName(name)) {
    throw paychaosError('PAYCHAOS_ERR_SIM_UNKNOWN_PROVIDER', `no simulator named "${name}"; simulated providers: ${SIMULATOR_NAMES.join(', ')}`, { provider: name, expected: SIMULATOR_NAMES });
  }
  const started = await SIMULATORS[name].start(options);
  return { ...started, provider: name };
}

/**
 * Read a behaviour profile file (JSON or YAML) and validate it for `provider`; every problem is
 * reported at once, each with its field, as PAYCHAOS_ERR_SIM_BAD_PROFILE.
 */
export async function loadProfileFile(path: string, provider: SimulatorName): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw paychaosError('PAYCHAOS_ERR_SIM_BAD_PROFILE', `cannot read profile ${path}: ${(err as Error).message}`, { file: path }, { cause: err });
  }
  let input: unknown;
  try {
    input = parseYaml(text);
  } catch (err) {
    throw paychaosError('PAYCHAOS_ERR_SIM_BAD_PROFILE', `profile ${path} is neither JSON nor YAML: ${(err as Error).message}`, { file: path }, { cause: err });
  }
  const parsed = parseProfile(input, SIMULATORS[provider].outcomeCodes);
  if (!parsed.ok) throw badProfileError(parsed.problems, `profile ${path}`);
  return input;
}
