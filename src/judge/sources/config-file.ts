import { readConfigFile } from '../../kernel/index.js';
import { parseJudgeConfig, type JudgeConfig } from '../../analysis/index.js';

/** Read a judge config file (YAML or JSON). */
export async function loadJudgeConfig(path: string): Promise<JudgeConfig> {
  return parseJudgeConfig(await readConfigFile(path, 'PAYCHAOS_ERR_JUDGE_BAD_CONFIG', 'judge config'), path);
}
