/**
 * Scenarios: the built-in presets (demo) as run specs for the run engine (src/run); the scenario
 * file format comes here next.
 */
export { runDemo, demoSpec } from './demo.js';
export type { DemoOptions, DemoOutcome } from './demo.js';
export { parseCanaryConfig, loadCanaryConfig, DEMO_JUDGE_CONFIG } from './canary-config.js';
export type { CanaryConfig } from './canary-config.js';
export { SCENARIO_SCHEMA, SCENARIO_DEFAULTS, checkScenario, loadScenarios, scenarioJsonSchema, scenarioJsonSchemaText, peakRate, loadDurationMs, maxInFlightOf } from './format/index.js';
export type { Scenario, ScenarioFile, ScenarioInput } from './format/index.js';
