import { parse as parseYaml } from 'yaml';
import { paychaosError } from '../../kernel/index.js';
import { parseJudgeConfig, type JudgeConfig } from './config.js';

/**
 * A judge config from text: YAML (which includes JSON) — one parser for both, so a `.json`
 * file and a `.yaml` file with the same content are the same config. Syntax errors carry the
 * line and column YAML reports.
 */
export function parseJudgeConfigText(text: string, source = 'judge config'): JudgeConfig {
  let data: unknown;
  try {
    data = parseYaml(text, { prettyErrors: true });
  } catch (err) {
    throw paychaosError('PAYCHAOS_ERR_JUDGE_BAD_CONFIG', `${source} is not valid YAML or JSON: ${(err as Error).message}`, { source });
  }
  return parseJudgeConfig(data, source);
}
