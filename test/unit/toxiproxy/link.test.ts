import { PassThrough } from 'node:stream';
import type { Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { Link, type LinkOwner } from '../../../src/toxiproxy/link.js';
import type { ToxicWrapper } from '../../../src/toxiproxy/toxic-wrapper.js';
import { TOXICS } from '../../../src/toxiproxy/toxics/registry.js';
import { defineToxic, type ToxicDefinition } from '../../../src/toxiproxy/toxics/toxic.js';

const owner: LinkOwner = { linkFinished: () => {}, linkFailed: () => {} };
const wrapper = (name: string, definition: ToxicDefinition): ToxicWrapper => ({
  name,
  type: definition.type,
  stream: 'downstream',
  direction: 'downstream',
  definition,
  toxicity: 1,
  attributes: {},
});

describe('a link rewiring its toxics', () => {
  it('does not restart a toxic when the link is torn down while that toxic is being stopped', async () => {
    let runs = 0;
    let started: () => void = () => {};
    const firstRun = new Promise<void>((resolve) => (started = resolve));
    // Like reset_peer's wait: only a teardown cuts it short, so removing the toxic after it waits here.
    const stubborn = defineToxic<Record<string, never>>({
      type: 'stubborn',
      goStruct: 'StubbornToxic',
      attributes: {},
      async pipe(stub) {
        runs++;
        started();
        await stub.sleep(60_000, true);
      },
    });
    const first = wrapper('first', stubborn as unknown as ToxicDefinition);
    const second = wrapper('second', TOXICS.get('noop')!);
    const link = new Link(owner, 'downstream', new PassThrough() as unknown as Socket, new PassThrough() as unknown as Socket, [first, second]);
    link.start();
    await firstRun;
    // Removing `second` stops `first` too (to rewire it); the connection closes meanwhile.
    const removal = link.removeToxic(second);
    await new Promise((r) => setTimeout(r, 20));
    link.abort();
    await removal;
    expect(runs).toBe(1);
  });
});
