export { listenFastify } from './listen.js';
export type { Listening, ListenOptions } from './listen.js';
export { freePort } from './free-port.js';
export { waitReady } from './readiness.js';
export type { Readiness } from './readiness.js';
export { StackChild } from './child.js';
export type { ChildSpec } from './child.js';
export { Supervisor } from './supervisor.js';
export type { Closeable, SupervisorOptions } from './supervisor.js';
