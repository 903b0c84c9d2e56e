export { waitReady } from './readiness.js';
export type { Readiness } from './readiness.js';
export { StackChild } from './child.js';
export type { ChildSpec } from './child.js';
export { Supervisor } from './supervisor.js';
export type { Closeable, SupervisorOptions } from './supervisor.js';
export { PACKAGE_ROOT } from './package-root.js';
