import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import { parse as parseYaml } from 'yaml';
import { describe, expect, it } from 'vitest';
import { isPaychaosError } from '../../../src/kernel/index.js';
import { checkScenario, loadScenarios, scenarioJsonSchema, scenarioJsonSchemaText } from '../../../src/scenario/index.js';

const SCENARIOS = join(import.meta.dirname, '../../../scenarios');
const shipped = readdirSync(SCENARIOS).filter((f) => f.endsWith('.yaml'));

const minimal = { name: 'x', load: { executor: 'constant-arrival-rate', rate: 10, duration: '5s' } };
const withPart = (part: Record<string, unknown>) => ({ ...minimal, ...part });

/** Invalid documents and the exact paths the loader must name. */
const INVALID: ReadonlyArray<[string, unknown, string[]]> = [
  ['an unknown top-level key', withPart({ colour: 'red' }), ['(root)']],
  ['a bad name', withPart({ name: 'Smoke Test' }), ['name']],
  ['a bad duration', { ...minimal, load: { ...minimal.load, duration: '30x' } }, ['load.duration']],
  ['an unknown executor', { ...minimal, load: { executor: 'per-vu-iterations', vus: 1 } }, ['load.executor']],
  ['stages missing on a ramp', { ...minimal, load: { executor: 'ramping-arrival-rate' } }, ['load.stages']],
  ['a bad stage', { ...minimal, load: { executor: 'ramping-arrival-rate', stages: [{ duration: '10s', target: 5 }, { duration: 'x', target: -1 }] } }, ['load.stages[1].duration', 'load.stages[1].target']],
  ['an unknown behaviour', { ...minimal, load: { ...minimal.load, behaviours: { panic: 1 } } }, ['load.behaviours']],
  ['a bad timeline step', withPart({ timeline: [{ at: '1s', target: 'stripe', type: 'latency', latencyMs: 5 }, { at: '2s', for: 'nope', target: 'stripe', type: 'latency', latencyMs: 5 }] }), ['timeline[1].for']],
  ['an unknown step type', withPart({ timeline: [{ at: '1s', target: 'stripe', type: 'blackhole' }] }), ['timeline[0].type']],
  ['duplicate step ids', withPart({ timeline: [{ id: 'a', at: '1s', target: 'stripe', type: 'down' }, { id: 'a', at: '2s', target: 'stripe', type: 'down' }] }), ['timeline[1].id']],
  ['an unknown metric', withPart({ expect: { thresholds: { succes_rate: ['rate>0.9'] } } }), ['expect.thresholds.succes_rate']],
  ['a wrong aggregation', withPart({ expect: { thresholds: { success_rate: ['p(99)<3'] } } }), ['expect.thresholds.success_rate[0]']],
  ['a window on a step that does not exist', withPart({ expect: { thresholds: { success_rate: [{ threshold: 'rate>0.9', during: 'outage' }] } } }), ['expect.thresholds.success_rate[0].during']],
  ['a canary verdict without a canary', withPart({ expect: { canary: {} } }), ['expect.canary']],
  ['a warm-up under k6', { ...minimal, load: { ...minimal.load, engine: 'k6', warmup: '2s' } }, ['load.warmup']],
  ['a bad duration as warmup', { ...minimal, load: { ...minimal.load, warmup: 'soon' } }, ['load.warmup']],
  ['a client step under k6', { ...minimal, load: { ...minimal.load, engine: 'k6' }, timeline: [{ at: '1s', target: 'shoppers', type: 'duplicate-submit', share: 0.5 }] }, ['timeline[0].type']],
  ['a marketplace split with a bad receiver and commission (the entry\'s own paths, not the mix union\'s)', { ...minimal, load: { ...minimal.load, mix: [{ provider: 'stripe', method: 'card', weight: 1, paymentMethods: [['pm_card_visa', 1]], currencies: [['eur', 1]], amount: { min: 100, max: 200 }, split: { destination: 'acct seller', platformFee: { percent: 150, fixed: 1.5 } } }] } }, ['load.mix[0].split.destination', 'load.mix[0].split.platformFee.percent', 'load.mix[0].split.platformFee.fixed']],
  ['an unknown preset name (no option got further: the union itself)', { ...minimal, load: { ...minimal.load, mix: 'marketplace' } }, ['load.mix']],
];

describe('the scenario format', () => {
  it.each(shipped)('accepts the shipped scenario %s', (file) => {
    const { problems } = checkScenario(parseYaml(readFileSync(join(SCENARIOS, file), 'utf8')));
    expect(problems).toEqual([]);
  });

  it.each(INVALID)('refuses %s, naming %j', (_what, document, paths) => {
    const { scenario, problems } = checkScenario(document);
    expect(scenario).toBeUndefined();
    expect(problems.map((p) => p.path)).toEqual(paths);
  });

  it('reports every problem at once, threshold mistakes included when the schema fails elsewhere', () => {
    const { problems } = checkScenario({ name: 'x', load: { executor: 'constant-arrival-rate', rate: 0, duration: '1s' }, expect: { thresholds: { latency: ['p(99)>>1'] } } });
    expect(problems.map((p) => p.path)).toEqual(['load.rate', 'expect.thresholds.latency[0]']);
  });

  it('gives the timeline its ids and durations in ms, and freezes the result', () => {
    const { scenario } = checkScenario(withPart({ timeline: [{ at: '1m30s', for: 2, target: 'stripe', type: 'latency', latencyMs: 5 }] }));
    expect(scenario!.timeline[0]).toMatchObject({ id: 'latency-0', atMs: 90_000, forMs: 2000, layer: 'network' });
    expect(Object.isFrozen(scenario!.file)).toBe(true);
  });

  it('loads a directory in name order, and refuses a path with no scenario with a coded error', async () => {
    const scenarios = await loadScenarios([SCENARIOS]);
    expect(scenarios.map((s) => s.path.split('/').at(-1))).toEqual([...shipped].sort());
    const err = await loadScenarios(['/nonexistent/scenarios']).catch((e: unknown) => e);
    expect(isPaychaosError(err, 'PAYCHAOS_ERR_SCENARIO_NOT_FOUND')).toBe(true);
  });
});

describe('scenarios/schema.json', () => {
  it('is the JSON Schema generated from the format (run `npm run schema` after changing it)', () => {
    expect(readFileSync(join(SCENARIOS, 'schema.json'), 'utf8')).toBe(scenarioJsonSchemaText());
  });

  const ajv = new Ajv2020.default({ allErrors: true, strict: false });
  const validateJson = ajv.compile(scenarioJsonSchema());

  it.each(shipped)('accepts the shipped scenario %s', (file) => {
    const ok = validateJson(parseYaml(readFileSync(join(SCENARIOS, file), 'utf8')));
    expect(validateJson.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  // What a JSON Schema can say: structure, names, enums, patterns. (Threshold expressions and step
  // ids are the loader's, above.)
  it.each(INVALID.filter(([what]) => !/metric|aggregation|window|canary verdict|k6|duplicate step|bad duration|bad stage|bad timeline step/.test(what)))('rejects %s', (_what, document) => {
    expect(validateJson(document)).toBe(false);
  });
});
