import type { ProxyCollection } from '../proxy-collection.js';
import * as proxies from './proxy-handlers.js';
import type { Reply } from './reply.js';
import type { Route, RouteParams } from './router.js';
import * as toxics from './toxic-handlers.js';

export interface HandlerContext {
  readonly proxies: ProxyCollection;
  readonly params: RouteParams;
  readonly body: Buffer;
}

export interface Handler {
  /** Mutating handlers run one at a time, so concurrent API calls cannot interleave half-done changes. */
  readonly mutates: boolean;
  run(ctx: HandlerContext): Reply | Promise<Reply>;
}

const read = (run: Handler['run']): Handler => ({ mutates: false, run });
const write = (run: Handler['run']): Handler => ({ mutates: true, run });
const p = (ctx: HandlerContext): string => ctx.params.proxy!;
const t = (ctx: HandlerContext): string => ctx.params.toxic!;

/** Toxiproxy 2.12's routes (api.go). POST on a proxy or toxic is the pre-2.6 spelling of PATCH. */
export const ROUTES: readonly Route<Handler>[] = [
  { pattern: ['reset'], methods: { POST: write((c) => proxies.resetAll(c.proxies)) } },
  { pattern: ['version'], methods: { GET: read(() => proxies.version()) } },
  { pattern: ['populate'], methods: { POST: write((c) => proxies.populate(c.proxies, c.body)) } },
  {
    pattern: ['proxies'],
    methods: { GET: read((c) => proxies.listProxies(c.proxies)), POST: write((c) => proxies.createProxy(c.proxies, c.body)) },
  },
  {
    pattern: ['proxies', ':proxy'],
    methods: {
      GET: read((c) => proxies.getProxy(c.proxies, p(c))),
      POST: write((c) => proxies.updateProxy(c.proxies, p(c), c.body)),
      PATCH: write((c) => proxies.updateProxy(c.proxies, p(c), c.body)),
      DELETE: write((c) => proxies.deleteProxy(c.proxies, p(c))),
    },
  },
  {
    pattern: ['proxies', ':proxy', 'toxics'],
    methods: {
      GET: read((c) => toxics.listToxics(c.proxies.get(p(c)))),
      POST: write((c) => toxics.createToxic(c.proxies.get(p(c)), c.body)),
    },
  },
  {
    pattern: ['proxies', ':proxy', 'toxics', ':toxic'],
    methods: {
      GET: read((c) => toxics.getToxic(c.proxies.get(p(c)), t(c))),
      POST: write((c) => toxics.updateToxic(c.proxies.get(p(c)), t(c), c.body)),
      PATCH: write((c) => toxics.updateToxic(c.proxies.get(p(c)), t(c), c.body)),
      DELETE: write((c) => toxics.deleteToxic(c.proxies.get(p(c)), t(c))),
    },
  },
];
