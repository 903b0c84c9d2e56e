import { readdir, stat } from 'node:fs/promises';
import { basename, extname, join, resolve } from 'node:path';
import { checkThresholds, type ThresholdsInput } from '../../analysis/index.js';
import { parseJudgeConfig } from '../../analysis/index.js';
import { parseTimeline, timelineStepSchema, type TimelineStep } from '../../chaos/index.js';
import { PLACEHOLDERS, unknownPlaceholders } from '../../load/index.js';
import { formatPath, invalid, isPaychaosError, paychaosError, readConfigFile, validate, type Problem } from '../../kernel/index.js';
import { scenarioSchema, type ScenarioFile } from './schema.js';

/**
 * Reading scenarios: a file, or every `*.yaml` / `*.yml` in a directory (sorted by name, so a
 * suite runs in a stable order). Each is validated once — the schema, then what a schema cannot
 * say (timeline ids, thresholds against the metric catalogue and the timeline's step ids, the
 * canary judge config, cross-section rules) — and every problem of every file is reported at
 * once, each with its file and path, as PAYCHAOS_ERR_SCENARIO_INVALID (exit 2).
 */
export interface Scenario {
  /** Where it was read from. */
  readonly path: string;
  readonly file: ScenarioFile;
  /** The timeline, parsed: ids filled in, durations in ms. */
  readonly timeline: readonly TimelineStep[];
}

export const SCENARIO_SCHEMA = scenarioSchema(timelineStepSchema);

/** Validate a parsed document (YAML already read); every problem, each with its path. */
export function checkScenario(document: unknown, path = 'scenario'): { scenario?: Scenario; problems: Problem[] } {
  const parsed = validate(SCENARIO_SCHEMA, document);
  if (!parsed.ok) return { problems: [...parsed.problems, ...thresholdProblemsOf(document)] };
  const file = parsed.value as ScenarioFile;
  const problems: Problem[] = [];
  let timeline: readonly TimelineStep[] = [];
  try {
    // From the document as written: the schema has already turned its durations into ms.
    timeline = parseTimeline((document as { timeline?: unknown }).timeline ?? []);
  } catch (err) {
    if (!isPaychaosError(err)) throw err;
    const lines = (err.details as { problems?: string[] }).problems ?? [err.message];
    for (const line of lines) {
      const at = line.indexOf(': ');
      problems.push({ path: at > 0 ? line.slice(0, at) : 'timeline', message: at > 0 ? line.slice(at + 2) : line });
    }
  }
  const stepIds = new Set(timeline.map((s) => s.id));
  const thresholds = (file.expect?.thresholds ?? {}) as ThresholdsInput;
  for (const p of checkThresholds(thresholds, stepIds).problems) problems.push({ path: formatPath(['expect', 'thresholds', ...p.path]), message: p.message });
  if (file.expect?.canary !== undefined) {
    if (!file.stack?.canary) problems.push({ path: 'expect.canary', message: 'a canary verdict needs a canary: add stack.canary with its weight' });
    else problems.push(...judgeConfigProblems(file.expect.canary));
  }
  const providers = file.stack?.providers;
  if (providers && Array.isArray(file.load.mix)) {
    file.load.mix.forEach((entry, i) => {
      if (!providers.includes(entry.provider)) problems.push({ path: `load.mix[${i}].provider`, message: `"${entry.provider}" is not in stack.providers (${providers.join(', ')})` });
    });
  }
  problems.push(...apiProblems(file));
  for (const [method, channels] of Object.entries(file.stack?.gateway?.routes ?? {})) {
    channels.forEach((c, i) => {
      if (providers && !providers.includes(c)) problems.push({ path: `stack.gateway.routes.${method}[${i}]`, message: `"${c}" is not in stack.providers (${providers.join(', ')}): a channel must be a provider the stack starts` });
    });
  }
  (file.expect?.failover ?? []).forEach((f, i) => {
    const step = timeline.find((s) => s.id === f.step);
    if (!step) problems.push({ path: `expect.failover[${i}].step`, message: `no timeline step has id "${f.step}"${stepIds.size ? ` (ids: ${[...stepIds].join(', ')})` : ''}` });
    else if (providers && !providers.includes(step.target)) problems.push({ path: `expect.failover[${i}].step`, message: `step "${f.step}" acts on "${step.target}", not on a provider of stack.providers (${providers.join(', ')}): a failover is measured away from a provider` });
    if (f.timeToDetect === undefined && f.timeToSwitchBack === undefined) problems.push({ path: `expect.failover[${i}]`, message: 'give timeToDetect, timeToSwitchBack or both' });
  });
  if (file.load.engine === 'k6') {
    if ((file.load.warmup ?? 0) > 0) problems.push({ path: 'load.warmup', message: 'a warm-up phase is played by the built-in engine; with k6, add a first stage to your k6 script and window your thresholds after it' });
    timeline.forEach((s) => {
      if (s.layer === 'client') problems.push({ path: `timeline[${s.index}].type`, message: `${s.type} acts through the built-in driver; with load.engine k6 use a k6 scenario for client behaviour` });
    });
  }
  if (problems.length > 0) return { problems };
  return { scenario: Object.freeze({ path, file, timeline }), problems };
}

/** load.request / query / classify: together, with the built-in engine, with known placeholders. */
function apiProblems(file: ScenarioFile): Problem[] {
  const { request, query, classify, engine } = file.load;
  const problems: Problem[] = [];
  if (request && !classify) problems.push({ path: 'load.classify', message: 'load.request needs load.classify: say where your answer holds the payment state' });
  if (classify && !request) problems.push({ path: 'load.request', message: 'load.classify reads the answers of load.request: describe that request too' });
  if (query && !request) problems.push({ path: 'load.query', message: 'load.query belongs with load.request: describe your payment request too' });
  if ((request || classify) && engine === 'k6') problems.push({ path: 'load.engine', message: 'load.request drives your API with the built-in engine; with k6, write the request in your k6 script' });
  for (const [where, template] of [['load.request', request], ['load.query', query]] as const) {
    if (!template) continue;
    for (const u of [...unknownPlaceholders(template.path, `${where}.path`), ...unknownPlaceholders(template.headers ?? {}, `${where}.headers`), ...unknownPlaceholders(template.body, `${where}.body`)]) {
      problems.push({ path: u.path, message: `\${${u.name}} is not a placeholder; use ${PLACEHOLDERS.map((p) => `\${${p}}`).join(', ')}` });
    }
  }
  return problems;
}

/** The canary judge config's problems, under expect.canary. */
function judgeConfigProblems(config: unknown): Problem[] {
  try {
    parseJudgeConfig(config, 'expect.canary');
    return [];
  } catch (err) {
    if (!isPaychaosError(err)) throw err;
    const lines = (err.details as { problems?: string[] }).problems ?? [err.message];
    return lines.map((line) => ({ path: `expect.canary.${line.split(':')[0]}`, message: line.slice(line.indexOf(':') + 1).trim() }));
  }
}

/**
 * The thresholds' own problems (expressions, metrics, tags) even when the file failed its schema
 * elsewhere, so one `validate` names them all. Step ids are checked only once the timeline is valid.
 */
function thresholdProblemsOf(document: unknown): Problem[] {
  const thresholds = (document as { expect?: { thresholds?: unknown } } | null)?.expect?.thresholds;
  if (typeof thresholds !== 'object' || thresholds === null || Array.isArray(thresholds)) return [];
  const lists = Object.entries(thresholds).filter(([, v]) => Array.isArray(v) && v.every((i) => typeof i === 'string' || (typeof i === 'object' && i !== null && typeof (i as { threshold?: unknown }).threshold === 'string')));
  return checkThresholds(Object.fromEntries(lists) as ThresholdsInput).problems.map((p) => ({ path: formatPath(['expect', 'thresholds', ...p.path]), message: p.message }));
}

/** Read and validate scenario files and directories; throws with every problem of every file. */
export async function loadScenarios(paths: readonly string[]): Promise<Scenario[]> {
  const files: string[] = [];
  for (const p of paths) files.push(...(await scenarioFilesAt(resolve(p))));
  const scenarios: Scenario[] = [];
  const problems: Problem[] = [];
  const names = new Map<string, string>();
  for (const path of files) {
    let document: unknown;
    try {
      document = await readConfigFile(path, 'PAYCHAOS_ERR_SCENARIO_INVALID', 'scenario');
    } catch (err) {
      if (!isPaychaosError(err)) throw err;
      problems.push({ path: basename(path), message: err.message });
      continue;
    }
    const checked = checkScenario(document, path);
    for (const p of checked.problems) problems.push({ path: `${basename(path)}: ${p.path}`, message: p.message });
    if (!checked.scenario) continue;
    const other = names.get(checked.scenario.file.name);
    if (other) problems.push({ path: `${basename(path)}: name`, message: `"${checked.scenario.file.name}" is also the name of ${basename(other)}; names must be unique in a suite` });
    names.set(checked.scenario.file.name, path);
    scenarios.push(checked.scenario);
  }
  if (problems.length > 0) throw invalid('PAYCHAOS_ERR_SCENARIO_INVALID', files.length === 1 ? files[0]! : `${files.length} scenario files`, problems);
  return scenarios;
}

async function scenarioFilesAt(path: string): Promise<string[]> {
  let info;
  try {
    info = await stat(path);
  } catch {
    throw paychaosError('PAYCHAOS_ERR_SCENARIO_NOT_FOUND', `no scenario file or directory at ${path}`, { path });
  }
  if (!info.isDirectory()) return [path];
  const names = (await readdir(path)).filter((n) => ['.yaml', '.yml'].includes(extname(n))).sort();
  if (names.length === 0) throw paychaosError('PAYCHAOS_ERR_SCENARIO_NOT_FOUND', `no *.yaml scenario in ${path}`, { path });
  return names.map((n) => join(path, n));
}
