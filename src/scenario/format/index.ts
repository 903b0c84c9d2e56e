export { scenarioSchema, regressionSchema, INVARIANTS } from './schema.js';
export type { ScenarioFile, ScenarioInput, Regression } from './schema.js';
export { SCENARIO_DEFAULTS, peakRate, loadDurationMs, maxInFlightOf } from './defaults.js';
export { SCENARIO_SCHEMA, checkScenario, loadScenarios } from './load.js';
export type { Scenario } from './load.js';
export { scenarioJsonSchema, scenarioJsonSchemaText } from './json-schema.js';
