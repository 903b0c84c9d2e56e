/**
 * Scenarios: the file format (format/), a file as a run spec (to-run-spec.ts), a suite of files
 * run one after another (suite.ts), and the built-in preset (demo) over the same engine (src/run).
 */
export { runDemo, demoSpec, checkGatewayProviders } from './demo.js';
export { toRunSpec } from './to-run-spec.js';
export type { ToRunSpecOptions } from './to-run-spec.js';
export { runSuite, worstExit } from './suite.js';
export type { SuiteOptions, SuiteOutcome, SuiteEntry } from './suite.js';
export type { DemoOptions, DemoOutcome } from './demo.js';
export { parseCanaryConfig, loadCanaryConfig, DEMO_JUDGE_CONFIG } from './canary-config.js';
export type { CanaryConfig } from './canary-config.js';
export { SCENARIO_SCHEMA, SCENARIO_DEFAULTS, checkScenario, loadScenarios, scenarioJsonSchema, scenarioJsonSchemaText, peakRate, loadDurationMs, maxInFlightOf } from './format/index.js';
export type { Scenario, ScenarioFile, ScenarioInput } from './format/index.js';
export { startUp, providersEnv } from './up.js';
export type { Up, UpOptions } from './up.js';
