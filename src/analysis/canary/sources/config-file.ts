import { readFile } from 'node:fs/promises';
import { paychaosError } from '../../../errors.js';
import type { JudgeConfig } from '../config.js';
import { parseJudgeConfigText } from '../config-text.js';

/** Read a judge config file (YAML or JSON). */
export async function loadJudgeConfig(path: string): Promise<JudgeConfig> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw paychaosError('PAYCHAOS_ERR_JUDGE_BAD_CONFIG', `cannot read judge config ${path}: ${(err as Error).message}`, { path });
  }
  return parseJudgeConfigText(text, path);
}
