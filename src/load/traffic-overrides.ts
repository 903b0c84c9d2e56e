import { BEHAVIOURS, planShopper, type Iteration, type ShopperBehaviour, type ShopperPlan, type TrafficConfig } from '../../load/lib/index.js';
import type { Variant } from '../conventions/index.js';
import { deepFreeze, paychaosError } from '../kernel/index.js';

/**
 * Client-behaviour faults (DESIGN.md "Fault layers", layer 3) as live changes to the traffic
 * model: while an override is active, a share of newly planned shoppers duplicate-submit,
 * double-click, retry or abandon and come back. The built-in driver asks for the effective
 * config each time it plans a shopper; shoppers already planned keep their plan.
 *
 *   fault step ─ add(id, override) ─▶ TrafficOverrides ─ configFor(base, variant) ─▶ planShopper
 *              ◀─ release() (undo) ─┘
 *
 * The traffic model itself (load/lib, shared with k6) is untouched: an override yields another
 * frozen TrafficConfig, and planning stays a pure function of (seed, index, config).
 */
export interface TrafficOverride {
  /**
   * Shares of shoppers (0–1) given a behaviour, whatever the base weights say; the other
   * behaviours share what is left in their base proportions.
   */
  readonly shares?: Readonly<Partial<Record<ShopperBehaviour, number>>>;
  /** Tuning merged field by field over the base config's. */
  readonly doubleClick?: Partial<TrafficConfig['doubleClick']>;
  readonly duplicateAfter?: Partial<TrafficConfig['duplicateAfter']>;
  readonly resumeAfter?: Partial<TrafficConfig['resumeAfter']>;
  readonly retry?: Partial<TrafficConfig['retry']>;
  /** Only this variant's shoppers; both when absent. */
  readonly variant?: Variant;
}

type Tuning = 'doubleClick' | 'duplicateAfter' | 'resumeAfter' | 'retry';
const TUNING: readonly Tuning[] = ['doubleClick', 'duplicateAfter', 'resumeAfter', 'retry'];

export class TrafficOverrides {
  readonly #active = new Map<string, TrafficOverride>();
  /** The last effective config per variant, rebuilt only when the overrides or the base change. */
  readonly #cache = new Map<Variant, { base: object; version: number; config: Readonly<TrafficConfig> }>();
  #version = 0;

  /** How many overrides are active. */
  get size(): number {
    return this.#active.size;
  }

  /** Activate an override under `id` (one at a time per id); returns its idempotent release. */
  add(id: string, override: TrafficOverride): () => void {
    if (this.#active.has(id)) throw paychaosError('PAYCHAOS_ERR_CHAOS_BAD_FAULT', `client override "${id}" is already active`, { id });
    for (const [b, share] of Object.entries(override.shares ?? {})) {
      if (!(BEHAVIOURS as readonly string[]).includes(b) || !(share! >= 0 && share! <= 1)) {
        throw paychaosError('PAYCHAOS_ERR_CHAOS_BAD_FAULT', `client override "${id}": shares.${b} must be a known behaviour with a share between 0 and 1`, { id, field: `shares.${b}` });
      }
    }
    const own = Object.freeze({ ...override });
    this.#active.set(id, own);
    this.#version++;
    return () => {
      if (this.#active.get(id) !== own) return;
      this.#active.delete(id);
      this.#version++;
    };
  }

  /** The config to plan a `variant` shopper with: `base` itself when no override applies. */
  configFor(base: Readonly<TrafficConfig>, variant: Variant): Readonly<TrafficConfig> {
    if (this.#active.size === 0) return base;
    const cached = this.#cache.get(variant);
    if (cached && cached.base === base && cached.version === this.#version) return cached.config;
    const config = effectiveConfig(base, [...this.#active.values()].filter((o) => o.variant === undefined || o.variant === variant));
    this.#cache.set(variant, { base, version: this.#version, config });
    return config;
  }
}

/** Later overrides win where two set the same share or tuning. */
function effectiveConfig(base: Readonly<TrafficConfig>, overrides: readonly TrafficOverride[]): Readonly<TrafficConfig> {
  if (overrides.length === 0) return base;
  const shares: Partial<Record<ShopperBehaviour, number>> = {};
  const tuning: Partial<Pick<TrafficConfig, Tuning>> = {};
  for (const o of overrides) {
    Object.assign(shares, o.shares);
    for (const key of TUNING) if (o[key]) Object.assign(tuning, { [key]: { ...(tuning[key] ?? base[key]), ...o[key] } });
  }
  return deepFreeze({ ...base, ...tuning, behaviours: reweigh(base.behaviours, shares) });
}

/**
 * Forced shares keep their value (scaled down together if they add up to more than 1); the
 * remaining behaviours split the rest in their base proportions. Weights are relative, so
 * fractions serve as well as the base's integers.
 */
export function reweigh(base: Readonly<Record<ShopperBehaviour, number>>, shares: Partial<Record<ShopperBehaviour, number>>): Record<ShopperBehaviour, number> {
  const forced = BEHAVIOURS.filter((b) => shares[b] !== undefined);
  const forcedSum = forced.reduce((s, b) => s + shares[b]!, 0);
  const scale = forcedSum > 1 ? 1 / forcedSum : 1;
  const left = Math.max(0, 1 - forcedSum * scale);
  const restBase = BEHAVIOURS.filter((b) => shares[b] === undefined).reduce((s, b) => s + base[b], 0);
  const out = {} as Record<ShopperBehaviour, number>;
  for (const b of BEHAVIOURS) out[b] = shares[b] !== undefined ? shares[b]! * scale : restBase > 0 ? (base[b] / restBase) * left : 0;
  // Every weight forced to 0 with nothing left to share: planning needs one positive weight.
  return BEHAVIOURS.some((b) => out[b] > 0) ? out : { ...base };
}

/**
 * Plan one shopper with the overrides in force. The variant is the model's first draw and
 * overrides never change the variant split, so re-planning the same (seed, index) with the
 * effective config keeps the shopper's variant and takes every draw from the same stream.
 */
export function planShopperWith(iteration: Pick<Iteration, 'index' | 'timeMs'>, config: Readonly<TrafficConfig>, overrides?: TrafficOverrides): ShopperPlan {
  const plan = planShopper(iteration, config);
  if (!overrides || overrides.size === 0) return plan;
  const effective = overrides.configFor(config, plan.variant);
  return effective === config ? plan : planShopper(iteration, effective);
}
