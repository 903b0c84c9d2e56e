import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../../src/cli/run.js';
import { fakeIo, printedUrl } from '../../../helpers/fake-io.js';

describe('paychaos sim for the wallet simulators', () => {
  it.each([
    ['alipay', 'alipayPublicKey'],
    ['wechatpay', 'apiV3Key'],
    ['paypal', 'webhookId'],
  ])('serves %s with its keys at /__sim/keys until interrupted', async (provider, field) => {
    const io = fakeIo();
    const run = runCli(['sim', provider, '--seed', '5'], io);
    const url = await printedUrl(io, 10_000);
    expect(await (await fetch(`${url}/__sim/keys`)).json()).toHaveProperty(field);
    expect(((await (await fetch(`${url}/__sim/health`)).json()) as { provider: string }).provider).toBe(provider);
    io.interrupt('SIGTERM');
    expect(await run).toBe(0);
  });

  it('validates a profile against the provider\'s own codes', async () => {
    const io = fakeIo();
    const path = join(await mkdtemp(join(tmpdir(), 'paychaos-alipay-')), 'p.json');
    await writeFile(path, JSON.stringify({ outcomes: { 'ACQ.NOT_A_CODE': 0.1 } }));
    expect(await runCli(['sim', 'alipay', '--profile', path], io)).toBe(2);
    expect(io.err()).toContain('outcomes.ACQ.NOT_A_CODE');
  });
});
