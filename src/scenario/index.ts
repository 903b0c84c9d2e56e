export { newRunId } from './run-id.js';
export { runDemo } from './demo.js';
export type { DemoOptions, DemoOutcome } from './demo.js';
export { parseCanaryConfig, loadCanaryConfig, DEMO_JUDGE_CONFIG } from './canary-config.js';
export type { CanaryConfig } from './canary-config.js';
export { startProviderStack } from './provider-stack.js';
export type { ProviderEndpoint, ProviderStackOptions, StartedProviderStack } from './provider-stack.js';
export { SCENARIO_SCHEMA, SCENARIO_DEFAULTS, checkScenario, loadScenarios, scenarioJsonSchema, scenarioJsonSchemaText, peakRate, loadDurationMs, maxInFlightOf } from './format/index.js';
export type { Scenario, ScenarioFile, ScenarioInput } from './format/index.js';
