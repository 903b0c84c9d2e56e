import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startSimulator } from '../../simulators/index.js';
import { DEFAULT_HMAC_KEY } from '../../simulators/adyen/index.js';
import { DEFAULT_WEBHOOK_SECRET } from '../../simulators/stripe/index.js';
import { runBuiltCli } from '../helpers/cli-process.js';
import { scanDir, scanText } from '../helpers/secret-scan.js';

/**
 * Issue #10 item 6 and #18 item 4: a short `--mix all` demo with every part logging at trace —
 * headers and bodies of every request the simulators and the gateway see — and then EVERY file
 * the run wrote (results, events, stack.json, reports, each part's log) scanned for card
 * numbers, CVCs in card fields, the stack's credentials and signatures. None may appear.
 * Bounded: 3 s at 15 shoppers/s (WireMock's JVM takes a few seconds to start).
 */
const SEED = 11;
let out: string;
afterAll(async () => {
  if (out) await rm(out, { recursive: true, force: true });
});

/** The credentials this stack runs with: the gateway's defaults and what the simulators hand out for SEED. */
async function stackSecrets(): Promise<string[]> {
  const wechat = await startSimulator('wechatpay', { seed: SEED });
  try {
    const keys = (await (await fetch(`${wechat.url}/__sim/keys`)).json()) as { apiV3Key: string };
    return ['sk_test_paychaos', 'paychaos-client-secret', DEFAULT_WEBHOOK_SECRET, DEFAULT_HMAC_KEY, keys.apiV3Key];
  } finally {
    await wechat.close();
  }
}

describe('no card number, CVC, key or signature in anything a --mix all run writes, logging at trace', () => {
  it('scans every file of the run and finds none', async () => {
    out = await mkdtemp(join(tmpdir(), 'paychaos-e2e-secrets-'));
    const run = runBuiltCli(['demo', '--mix', 'all', '--duration', '3s', '--rate', '15', '--seed', String(SEED), '--out', out, '--log-level', 'trace']);
    const code = await run.exited;
    expect(code, run.stderr()).toBe(0);

    const secrets = await stackSecrets();
    const { files, findings } = await scanDir(out, secrets);
    const names = files.map((f) => basename(f));
    // The scan saw the run's files and every part's log, each logging at trace (not an empty directory).
    expect(names).toEqual(expect.arrayContaining(['results.json', 'events.jsonl', 'stack.json', 'summary.md', 'report.html', 'gateway-baseline.log', 'wiremock-localwallet.log']));
    for (const p of ['stripe', 'adyen', 'alipay', 'wechatpay', 'paypal', 'wiremock_localwallet']) expect(names, p).toContain(`sim-${p}.log`);
    const stripeLog = await readFile(join(out, 'sim-stripe.log'), 'utf8');
    expect(stripeLog).toMatch(/"level":10,.*"msg":"request received"/); // headers were logged…
    expect(stripeLog).toContain('"authorization":"[REDACTED]"'); // …and redacted
    expect(stripeLog).toMatch(/"provider":"stripe","runId":"demo-[^"]+"/);
    // The gateway's lines carry the trace id of each payment (the simulators', when a traceparent reaches them).
    expect(await readFile(join(out, 'gateway-baseline.log'), 'utf8')).toMatch(/"runId":"demo-[^"]+".*"traceId":"[0-9a-f]{32}"/);
    expect(findings.map((f) => `${basename(f.file)} ${f.kind}: ${f.excerpt}`)).toEqual([]);
    // stdout and stderr too.
    expect(scanText(run.stdout() + run.stderr(), 'output', secrets)).toEqual([]);
  }, 180_000);

  it('the negative control: the same scan over the run directory with one PAN written into a log turns red', async () => {
    expect(out).toBeDefined();
    await writeFile(join(out, 'planted.log'), '{"level":20,"msg":"charge","note":"card 4242.4242.4242.4242"}\n');
    await writeFile(join(out, 'planted-key.log'), `{"level":20,"header":"Bearer sk_test_paychaos","cvc":"737"}\n`);
    const { findings } = await scanDir(out, await stackSecrets());
    expect(findings.map((f) => `${basename(f.file)} ${f.kind}`).sort()).toEqual(['planted-key.log cvc', 'planted-key.log secret', 'planted.log pan']);
  });
});
