import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkScenario, loadScenarios, toRunSpec } from '../../../src/scenario/index.js';
import { isPaychaosError } from '../../../src/kernel/index.js';

const LOAD = { executor: 'constant-arrival-rate', rate: 5, duration: '1s', mix: [{ provider: 'unionpay', method: 'card', weight: 1, paymentMethods: [['pm_card_unionpay', 1]], currencies: [['cny', 1]], amount: { min: 990, max: 20_000 } }] };
const dir = mkdtempSync(join(tmpdir(), 'paychaos-stack-fees-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const scenario = (fees: unknown) => ({ name: 'fees', stack: { fees }, load: LOAD });
const ATTACH = { paychaos: 'attach' as const, version: 1 as const, runId: 'up-1', toxiproxy: 'http://127.0.0.1:1', providers: { unionpay: { url: 'http://127.0.0.1:2', directUrl: 'http://127.0.0.1:3', proxy: 'unionpay', kind: 'native' as const } } };

/** The coded error `loadScenarios` throws for a file holding `document`. */
async function refusal(document: unknown): Promise<{ code: string; message: string }> {
  const file = join(dir, `s-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, JSON.stringify(document));
  try {
    await loadScenarios([file]);
  } catch (err) {
    if (isPaychaosError(err)) return { code: err.code, message: `${err.message} ${JSON.stringify(err.details)}` };
    throw err;
  }
  throw new Error('accepted');
}

describe('stack.fees in a scenario', () => {
  it('takes a contract rate per modelled provider and hands the one value to the simulators and every reference gateway', () => {
    const checked = checkScenario(scenario({ unionpay: { bps: 38 }, stripe: { bps: 250, fixed: 0.25 } }), 'fees.yaml');
    expect(checked.problems).toEqual([]);
    const spec = toRunSpec(checked.scenario!, { paychaosVersion: '1' });
    expect(spec.stack.fees).toEqual({ unionpay: { bps: 38 }, stripe: { bps: 250, fixed: 0.25 } });
  });

  it.each([
    [{ unionpay: { bps: 0.5 } }, 'stack.fees.unionpay.bps'],
    [{ unionpay: { bps: -1 } }, 'stack.fees.unionpay.bps'],
    [{ unionpay: { bps: 10_001 } }, 'stack.fees.unionpay.bps'],
    [{ unionpay: { bps: 38, fixed: 0.305 } }, 'stack.fees.unionpay.fixed'],
    [{ unionpay: { bps: 38, fixed: -0.1 } }, 'stack.fees.unionpay.fixed'],
    [{ unionpay: { fixed: 0.3 } }, 'stack.fees.unionpay.bps'],
    [{ unionpay: { bps: 38, rate: 1 } }, 'stack.fees.unionpay'],
    [{ 'wiremock:ecny': { bps: 38 } }, 'stack.fees.wiremock:ecny'],
  ])('refuses %j with PAYCHAOS_ERR_SCENARIO_INVALID naming %s', async (fees, field) => {
    expect(checkScenario(scenario(fees)).problems.map((p) => p.path)).toEqual([field]);
    const { code, message } = await refusal(scenario(fees));
    expect(code).toBe('PAYCHAOS_ERR_SCENARIO_INVALID');
    expect(message).toContain(field);
  });

  it('is refused with an attached stack, naming stack.fees (its simulators cannot be given the rate); without it the same scenario attaches', () => {
    const withFees = checkScenario(scenario({ unionpay: { bps: 38 } })).scenario!;
    let err: unknown;
    try {
      toRunSpec(withFees, { paychaosVersion: '1', attach: ATTACH });
    } catch (e) {
      err = e;
    }
    expect(isPaychaosError(err) && err.code).toBe('PAYCHAOS_ERR_STACK_ATTACH_FEES');
    expect(isPaychaosError(err) && err.message).toContain('stack.fees (unionpay)');
    expect(isPaychaosError(err) && err.details).toMatchObject({ field: 'stack.fees' });
    // The control: no fees, same attached stack — accepted, and it is the attached stack that runs.
    const spec = toRunSpec(checkScenario({ name: 'fees', load: LOAD }).scenario!, { paychaosVersion: '1', attach: ATTACH });
    expect(spec.stack.attach?.runId).toBe('up-1');
    expect(spec.stack.fees).toBeUndefined();
  });
});
