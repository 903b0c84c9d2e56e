import type { Random } from '../../src/kernel/index.js';

/**
 * Provider object ids (`pi_…`, `ch_…`, Adyen's 16-character pspReferences) drawn from the seeded
 * Random, so a replayed run produces the same ids. A per-instance `prefix` keeps the ids of
 * several replicas apart when they are started with one seed (DESIGN.md: no process-local ids).
 */
export class IdGenerator {
  readonly #random: Random;
  readonly #instance: string;

  constructor(random: Random, instance = '') {
    this.#random = random;
    this.#instance = instance;
  }

  /** `pi_` + 24 characters, Stripe style. */
  next(prefix: string, length = 24): string {
    return `${prefix}_${this.#instance}${this.#random.token(length - this.#instance.length)}`;
  }

  /** A number of `length` digits, the shape of an Adyen pspReference. */
  digits(length = 16): string {
    let out = '';
    for (let i = 0; i < length; i++) out += Math.floor(this.#random.next() * 10).toString();
    return out.replace(/^0/, '1');
  }
}
