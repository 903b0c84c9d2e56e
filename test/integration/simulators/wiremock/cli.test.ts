import { describe, expect, it } from 'vitest';
import { runCli } from '../../../../src/cli/run.js';
import { fakeIo, printedUrl } from '../../../helpers/fake-io.js';

describe('paychaos sim wiremock:<provider>', () => {
  it('serves the bundled localwallet stubs from a real WireMock until interrupted, then leaves no JVM behind', async () => {
    const io = fakeIo();
    const run = runCli(['sim', 'wiremock:localwallet'], io);
    const url = await printedUrl(io, 30_000);
    const res = await fetch(`${url}/v1/charges`, { method: 'POST', headers: { authorization: 'Bearer sk_test_cli', 'content-type': 'application/json' }, body: JSON.stringify({ reference: 'cli_1', amount: 5100, currency: 'SGD' }) });
    expect(res.status).toBe(402);
    expect(await (await fetch(`${url}/__sim/health`)).json()).toEqual({ ok: true, provider: 'wiremock:localwallet' });
    io.interrupt('SIGTERM');
    expect(await run).toBe(0);
    await expect(fetch(`${url}/__admin/health`)).rejects.toThrow();
  }, 45_000);

  it('exits 2 naming the bundled providers for an unknown one, and refuses a behaviour profile', async () => {
    const unknown = fakeIo();
    expect(await runCli(['sim', 'wiremock:nosuchwallet'], unknown)).toBe(2);
    expect(unknown.err()).toContain('PAYCHAOS_ERR_SIM_UNKNOWN_PROVIDER');
    expect(unknown.err()).toContain('localwallet');
    const profiled = fakeIo();
    expect(await runCli(['sim', 'wiremock:localwallet', '--profile', '/nonexistent.yaml'], profiled)).toBe(2);
    expect(profiled.err()).toContain('PAYCHAOS_ERR_SIM_BAD_PROFILE');
    expect(profiled.err()).toContain('takes no behaviour profile');
  });
});
