export { startWireMock } from './server.js';
export type { StartedWireMock, WireMockOptions } from './server.js';
export { loadStubs } from './stubs.js';
export { fromWireMockMapping, isWireMockMapping } from './mapping.js';
export type { StubDefinition } from './stubs.js';
export { findJava } from './java.js';
export { wiremockJar } from './jar.js';
export { WIREMOCK_PREFIX, bundledWireMockProviders, resolveStubsDir, wiremockStubsRoot } from './providers.js';
