import type { ToxicStub } from '../stub.js';

/** Go integer kinds of Toxiproxy's attribute structs (both decode only whole numbers). */
export type AttributeKind = 'int64' | 'int';

/** An attribute problem paychaos rejects with a 400 where Toxiproxy would misbehave. */
export interface AttributeProblem {
  /** The attribute at fault, e.g. `average_size`. */
  readonly attribute: string;
  /** What is wrong and why, in words a user can act on. */
  readonly message: string;
}

export type Attributes = Record<string, number>;

/**
 * One toxic type. Each lives in its own file and is listed in registry.ts.
 * See CREATING_TOXICS.md beside this file for the contract a `pipe` must keep.
 */
export interface ToxicDefinition<A extends Attributes = Attributes> {
  /** The `type` string of the API. */
  readonly type: string;
  /** The Go struct name, used in Toxiproxy-compatible decode errors (`LatencyToxic.attributes.latency`). */
  readonly goStruct: string;
  /** Attribute names in response order, with their Go kinds. Absent attributes are 0. */
  readonly attributes: Readonly<Record<keyof A & string, AttributeKind>>;
  /** paychaos' guard against Toxiproxy's foot-guns; undefined when the attributes are usable. */
  validate?(attrs: A): AttributeProblem | undefined;
  /**
   * Move chunks from `stub.read()` to `stub.write()` until the end of the stream (then
   * `stub.close()`) or an interruption (then return, after writing anything still held).
   */
  pipe(stub: ToxicStub, attrs: A): Promise<void>;
  /** Called when the toxic is removed from a live link on which it was active. */
  cleanup?(stub: ToxicStub): void;
  /** Per-link state that survives updates (created once per link). */
  newState?(): unknown;
}

/** Declare a toxic with its attribute type inferred; keeps each toxic file free of casts. */
export function defineToxic<A extends Attributes>(definition: ToxicDefinition<A>): ToxicDefinition<A> {
  return Object.freeze(definition);
}

/** A problem for `attribute` unless `value >= 0`. Shared by the toxics that take times and sizes. */
export function notNegative(attribute: string, value: number, unit: string): AttributeProblem | undefined {
  return value < 0 ? { attribute, message: `${attribute} must be 0 or more ${unit}, got ${value}` } : undefined;
}
