export { waitReady } from './readiness.js';
export type { Readiness } from './readiness.js';
export { StackChild } from './child.js';
export type { ChildSpec } from './child.js';
export { Supervisor } from './supervisor.js';
export type { Closeable, CrashListener, SupervisorOptions } from './supervisor.js';
export { PACKAGE_ROOT } from './package-root.js';
export { startProviderStack, throwIfInterrupted } from './provider-stack.js';
export type { ProviderEndpoint, ProviderStackOptions, StartedProviderStack } from './provider-stack.js';
export type { SimulatorHandle, SimulatorPlacement } from './simulator-handle.js';
export { startSystemUnderTest, otlpEnv } from './system-under-test.js';
export type { GatewayConfigInput, SutContext, SutSpec, StartedSut } from './system-under-test.js';
// Which providers the reference gateway speaks: a fact about the system the stack starts, asked
// before anything starts (a traffic mix naming another provider is bad input).
export { GATEWAY_PROVIDERS, gatewaySpeaks, STRIPE_SUBSCRIBED_EVENTS } from './system-under-test.js';
export { ownTempDir } from './temp-dir.js';
export { supervisedProcesses } from './supervised-processes.js';
export { sweepOrphans } from './orphans.js';
export type { SweepReport } from './orphans.js';
export { ATTACH_FILE, attachDocument, attachProviderStack, readAttachFile } from './attach.js';
export type { AttachDocument } from './attach.js';
export { breakerSchema, feeOverridesSchema, retrySchema, routesSchema, sheddingSchema } from './gateway-settings.js';
export type { FeeOverrides } from './gateway-settings.js';
export { DEFAULT_PROMETHEUS_BIN, PROMETHEUS_TARGETS, checkPrometheusBin, localPrometheusConfig, prometheusBin, startPrometheus } from './prometheus.js';
export type { PrometheusOptions, StartedPrometheus } from './prometheus.js';
