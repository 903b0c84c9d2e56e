import { bandwidth } from './bandwidth.js';
import { latency } from './latency.js';
import { limitData } from './limit-data.js';
import { noop } from './noop.js';
import { resetPeer } from './reset-peer.js';
import { slicer } from './slicer.js';
import { slowClose } from './slow-close.js';
import { timeout } from './timeout.js';
import type { ToxicDefinition } from './toxic.js';

/** Every toxic type the API accepts, by `type`. Add a new toxic here (see CREATING_TOXICS.md). */
export const TOXICS: ReadonlyMap<string, ToxicDefinition> = new Map<string, ToxicDefinition>(
  [latency, bandwidth, slowClose, timeout, resetPeer, slicer, limitData, noop].map((t) => [t.type, t as unknown as ToxicDefinition]),
);

export function toxicDefinition(type: string): ToxicDefinition | undefined {
  return TOXICS.get(type);
}
