import type { JudgeConfig } from './config.js';
import type { GroupResult, MetricResult, Verdict } from './result.js';

const SCORED = new Set(['pass', 'high', 'low']);

/**
 * Kayenta's scoring: within a group, score = 100 · passed / (passed + failed), where nodata and
 * inconclusive metrics are left out; the canary's score is the weight-averaged group score over
 * groups with anything scored.
 */
export function scoreGroups(config: JudgeConfig, metrics: readonly MetricResult[]): { groups: GroupResult[]; score: number | null } {
  const names = [...new Set([...(config.groups ? Object.keys(config.groups) : []), ...metrics.map((m) => m.group)])];
  const groups = names.map((name): GroupResult => {
    const inGroup = metrics.filter((m) => m.group === name);
    const passed = inGroup.filter((m) => m.classification === 'pass').length;
    const failed = inGroup.filter((m) => m.classification === 'high' || m.classification === 'low').length;
    const scored = passed + failed;
    return {
      name,
      weight: config.groups?.[name] ?? 1,
      score: scored === 0 ? null : (100 * passed) / scored,
      passed,
      failed,
      unscored: inGroup.length - scored,
    };
  });
  let weighted = 0;
  let weights = 0;
  for (const g of groups) {
    if (g.score === null) continue;
    weighted += g.weight * g.score;
    weights += g.weight;
  }
  return { groups, score: weights === 0 ? null : weighted / weights };
}

/**
 * The verdict, in order of precedence — evidence of harm first, then missing evidence:
 *
 *   1. a critical metric is high/low                        → fail
 *   2. the score is below thresholds.marginal               → fail
 *   3. a mustHaveData metric has no data                    → inconclusive
 *   4. nothing could be scored                              → inconclusive
 *   5. a metric is inconclusive (beyond tolerance, noisy)   → inconclusive
 *   6. score ≥ thresholds.pass → pass; otherwise            → marginal
 */
export function decideVerdict(config: JudgeConfig, metrics: readonly MetricResult[], score: number | null): { verdict: Verdict; reasons: string[] } {
  const { pass, marginal } = config.thresholds;
  const failing = metrics.filter((m) => m.classification === 'high' || m.classification === 'low');
  const criticalFailures = failing.filter((m) => m.critical);
  const scoreText = score === null ? 'no score' : `score ${round(score)}`;
  const reasons: string[] = [];
  for (const m of criticalFailures) reasons.push(`critical metric ${m.name} is ${m.classification}: ${m.reason}`);
  if (criticalFailures.length > 0) return { verdict: 'fail', reasons: [...reasons, `${scoreText} (pass ≥ ${pass}, marginal ≥ ${marginal})`] };

  const failingText = failing.map((m) => `${m.name} is ${m.classification}: ${m.reason}`);
  if (score !== null && score < marginal) return { verdict: 'fail', reasons: [`${scoreText} is below the marginal threshold ${marginal}`, ...failingText] };

  const missing = metrics.filter((m) => m.mustHaveData && m.classification === 'nodata');
  if (missing.length > 0) {
    return { verdict: 'inconclusive', reasons: [...missing.map((m) => `metric ${m.name} must have data: ${m.reason}`), ...failingText] };
  }
  if (score === null || !metrics.some((m) => SCORED.has(m.classification))) {
    return { verdict: 'inconclusive', reasons: ['no metric had enough data to be scored', ...metrics.map((m) => `${m.name}: ${m.reason}`)] };
  }
  const noisy = metrics.filter((m) => m.classification === 'inconclusive');
  if (noisy.length > 0) {
    return { verdict: 'inconclusive', reasons: [...noisy.map((m) => `metric ${m.name} is inconclusive: ${m.reason}`), `${scoreText} of the rest`, ...failingText] };
  }
  if (score >= pass) return { verdict: 'pass', reasons: [`${scoreText} ≥ pass threshold ${pass}`, ...failingText] };
  return { verdict: 'marginal', reasons: [`${scoreText} is between the marginal (${marginal}) and pass (${pass}) thresholds`, ...failingText] };
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}
