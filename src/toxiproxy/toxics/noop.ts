import { INTERRUPTED, type ToxicStub } from '../stub.js';
import { defineToxic } from './toxic.js';

/** Pass everything through. Also what any toxic runs as when its toxicity draw says "not this connection". */
export async function passThrough(stub: ToxicStub): Promise<void> {
  for (;;) {
    const item = await stub.read();
    if (item === INTERRUPTED) return;
    if (item === null) return stub.close();
    stub.write(item);
  }
}

/** `noop` (undocumented in Toxiproxy, accepted by its API): no attributes, no effect. */
export const noop = defineToxic<Record<string, never>>({
  type: 'noop',
  goStruct: 'NoopToxic',
  attributes: {},
  pipe: passThrough,
});
