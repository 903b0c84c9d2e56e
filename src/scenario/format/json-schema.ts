import { z } from 'zod';
import { SCENARIO_SCHEMA } from './load.js';

/**
 * The scenario format as a JSON Schema (draft 2020-12), generated from the same zod schema the
 * loader validates with, so the two cannot drift: `npm run schema` writes scenarios/schema.json
 * and test/unit/scenario/schema-json.test.ts fails when the file is stale. It describes what a
 * file may contain (the input side: durations as strings); rules a JSON Schema cannot state
 * (threshold expressions, step ids a threshold names) are the loader's.
 */
export function scenarioJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(SCENARIO_SCHEMA, { io: 'input', unrepresentable: 'any', target: 'draft-2020-12' }) as Record<string, unknown>;
  return { ...schema, $id: 'https://paychaos.dev/schemas/scenario.json', title: 'paychaos scenario', description: 'A paychaos scenario: stack, load, timeline of faults, and what to expect (docs/scenarios.md).' };
}

export function scenarioJsonSchemaText(): string {
  return `${JSON.stringify(scenarioJsonSchema(), null, 2)}\n`;
}
