/**
 * The embedded Toxiproxy-compatible server: Toxiproxy 2.12's HTTP API and TCP proxies with
 * every toxic, for machines without Docker and for our own tests. README.md lists where it
 * deliberately differs from Toxiproxy.
 */
export { startToxiproxyServer } from './server.js';
export type { StartedToxiproxyServer, ToxiproxyServerOptions } from './server.js';
export { loadProxyConfig, parseProxyConfig } from './config.js';
export { TOXIPROXY_VERSION } from './api/proxy-handlers.js';
export type { ProxyInput } from './proxy-collection.js';
export { TOXICS } from './toxics/registry.js';
export type { ToxicDefinition, AttributeProblem } from './toxics/toxic.js';
