import type { Attributes, ToxicDefinition } from './toxics/toxic.js';

export type Direction = 'upstream' | 'downstream';

/**
 * A toxic as the API knows it. `stream` is kept exactly as the client sent it (Toxiproxy echoes
 * `"UPSTREAM"` back); `direction` is the normalised chain it belongs to. `toxicity` and
 * `attributes` are replaced (never mutated) on update; links read them when a toxic (re)starts.
 */
export interface ToxicWrapper {
  readonly name: string;
  readonly type: string;
  readonly stream: string;
  readonly direction: Direction;
  readonly definition: ToxicDefinition;
  toxicity: number;
  attributes: Readonly<Attributes>;
}
