import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../src/cli/run.js';
import { fakeIo } from '../../helpers/fake-io.js';
import { resultsOf } from '../canary/results-fixture.js';

/**
 * Bad input, command by command: each case must end with exit 2 (never 3, the harness's own
 * failure), its error code, the field or flag it is about, and no stack trace — and nothing
 * printed as if the work had been done. Issue #18 item 5 found each of these answered as a
 * harness bug or after the work.
 */
let dir: string;
let taken: Server;
let takenPort: number;
const path = (name: string) => join(dir, name);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'paychaos-bad-input-'));
  await writeFile(path('empty.yaml'), '');
  await writeFile(path('comment-only.yaml'), '# nothing here\n');
  await writeFile(path('a-file'), 'not a directory');
  const good = resultsOf({ baseline: { requests: 100, errorCodes: {}, medianMs: 30 } });
  await writeFile(path('good.json'), JSON.stringify(good));
  const contradicting = structuredClone(good);
  contradicting.variants.baseline!.succeeded = 150;
  await writeFile(path('contradicting.json'), JSON.stringify(contradicting));
  await writeFile(path('bad-listen.json'), JSON.stringify([{ name: 'x', listen: '127.0.0.1:99999', upstream: '127.0.0.1:1' }]));
  await writeFile(path('books.json'), JSON.stringify({ entries: [] }));
  await writeFile(path('bad-books.json'), JSON.stringify({ entries: [{ orderId: 'o', provider: 'stripe', kind: 'capture', reference: 'capture', amount: 1, currency: 'EUR', bookedAt: '2026-11-11T00:00:00Z' }] }));
  await writeFile(path('stripe-v2.csv'), 'balance_transaction_id,created_utc,available_on_utc,currency,gross,fee,net,reporting_category,source_id,payment_intent_id,payment_metadata[order_id],automatic_payout_id,automatic_payout_effective_at_utc,idempotency_key,trace_id\r\n');
  taken = createServer();
  await new Promise<void>((r) => taken.listen(0, '127.0.0.1', r));
  takenPort = (taken.address() as { port: number }).port;
});
afterAll(async () => {
  await new Promise((r) => taken.close(r));
  await rm(dir, { recursive: true, force: true });
});

interface Case {
  name: string;
  argv: () => string[];
  code: string;
  names: RegExp;
  /** Environment for this case only. */
  env?: Record<string, string>;
}

const CASES: Case[] = [
  { name: 'judge --out under a file', argv: () => ['judge', '--results', path('good.json'), '--out', path('a-file/sub/report.json')], code: 'PAYCHAOS_ERR_REPORT_OUT_DIR', names: /--out/ },
  { name: 'judge --config empty', argv: () => ['judge', '--results', path('good.json'), '--config', path('empty.yaml')], code: 'PAYCHAOS_ERR_JUDGE_BAD_CONFIG', names: /empty\.yaml is empty/ },
  { name: 'judge --config with only a comment', argv: () => ['judge', '--results', path('good.json'), '--config', path('comment-only.yaml')], code: 'PAYCHAOS_ERR_JUDGE_BAD_CONFIG', names: /is empty/ },
  { name: 'demo --canary-config empty', argv: () => ['demo', '--duration', '1s', '--canary-config', path('empty.yaml')], code: 'PAYCHAOS_ERR_DEMO_BAD_CANARY_CONFIG', names: /empty\.yaml is empty/ },
  { name: 'demo --canary-weight 0', argv: () => ['demo', '--duration', '1s', '--canary-weight', '0'], code: 'PAYCHAOS_ERR_CLI_BAD_FLAG', names: /--canary-weight/ },
  { name: 'demo --canary-weight 1', argv: () => ['demo', '--duration', '1s', '--canary-weight', '1'], code: 'PAYCHAOS_ERR_CLI_BAD_FLAG', names: /--canary-weight/ },
  { name: 'judge a file whose counts contradict', argv: () => ['judge', '--baseline', path('contradicting.json'), '--canary', path('good.json')], code: 'PAYCHAOS_ERR_RESULTS_INVALID', names: /variants\.baseline: succeeded/ },
  { name: 'proxy --host not an address', argv: () => ['proxy', '--port', '0', '--host', '999.1.1.1'], code: 'PAYCHAOS_ERR_LISTEN_BAD_ADDRESS', names: /--host 999\.1\.1\.1/ },
  { name: 'proxy --port taken', argv: () => ['proxy', '--port', String(takenPort)], code: 'PAYCHAOS_ERR_LISTEN_IN_USE', names: /--port \d+ is already in use/ },
  { name: 'proxy --config with an invalid port', argv: () => ['proxy', '--port', '0', '--config', path('bad-listen.json')], code: 'PAYCHAOS_ERR_TOXIPROXY_CONFIG_LISTEN', names: /invalid port/ },
  { name: 'a command that does not exist, with --help', argv: () => ['nope', '--help'], code: 'PAYCHAOS_ERR_CLI_UNKNOWN_COMMAND', names: /unknown command 'nope'/ },
  { name: 'up --providers naming no simulator', argv: () => ['up', '--providers', 'stripe,nope'], code: 'PAYCHAOS_ERR_CLI_BAD_FLAG', names: /--providers: no simulator named nope/ },
  { name: 'run --attach a file paychaos up did not write', argv: () => ['run', '--attach', path('good.json'), '--target', 'http://127.0.0.1:9', join(import.meta.dirname, '../../../examples/user-gateway/scenario.yaml')], code: 'PAYCHAOS_ERR_STACK_ATTACH_INVALID', names: /paychaos: expected "attach"/ },
  { name: 'up --out under a file', argv: () => ['up', '--providers', 'stripe', '--out', path('a-file/up')], code: 'PAYCHAOS_ERR_REPORT_OUT_DIR', names: /--out .*a-file\/up/ },
  { name: 'up --prometheus without a Prometheus binary', argv: () => ['up', '--providers', 'stripe', '--prometheus', '--out', path('up-out')], env: { PROMETHEUS_BIN: '/nonexistent/prometheus' }, code: 'PAYCHAOS_ERR_STACK_PROMETHEUS_MISSING', names: /--prometheus: no Prometheus binary at \/nonexistent\/prometheus/ },
  { name: 'reconcile --books a file that does not exist', argv: () => ['reconcile', '--books', path('nope.json'), '--settlement', path('stripe-v2.csv')], code: 'PAYCHAOS_ERR_RECONCILE_UNREADABLE', names: /--books .*nope\.json: no such file/ },
  { name: 'reconcile --books missing a field', argv: () => ['reconcile', '--books', path('bad-books.json'), '--settlement', path('stripe-v2.csv')], code: 'PAYCHAOS_ERR_RECONCILE_BAD_BOOKS', names: /entries\[0\]\.paymentId/ },
  { name: 'reconcile --settlement that is no settlement report', argv: () => ['reconcile', '--books', path('books.json'), '--settlement', path('books.json')], code: 'PAYCHAOS_ERR_RECONCILE_BAD_SETTLEMENT', names: /--settlement .*books\.json: not a settlement report/ },
  { name: 'reconcile --settlement naming another provider than the file', argv: () => ['reconcile', '--books', path('books.json'), '--settlement', `adyen=${path('stripe-v2.csv')}`], code: 'PAYCHAOS_ERR_RECONCILE_BAD_SETTLEMENT', names: /given as adyen's report, but it is stripe's/ },
  { name: 'reconcile --settlement with an unknown provider', argv: () => ['reconcile', '--books', path('books.json'), '--settlement', `acme=${path('stripe-v2.csv')}`], code: 'PAYCHAOS_ERR_CLI_BAD_FLAG', names: /--settlement acme=.*unknown provider "acme"/ },
  { name: 'reconcile --since not a time', argv: () => ['reconcile', '--books', path('books.json'), '--settlement', path('stripe-v2.csv'), '--since', 'yesterday'], code: 'PAYCHAOS_ERR_CLI_BAD_FLAG', names: /--since yesterday/ },
  { name: 'reconcile --until before --since', argv: () => ['reconcile', '--books', path('books.json'), '--settlement', path('stripe-v2.csv'), '--since', '2026-11-12', '--until', '2026-11-11'], code: 'PAYCHAOS_ERR_CLI_BAD_FLAG', names: /--until 2026-11-11 is not after --since/ },
  { name: 'reconcile --out under a file', argv: () => ['reconcile', '--books', path('books.json'), '--settlement', path('stripe-v2.csv'), '--out', path('a-file/statement.csv')], code: 'PAYCHAOS_ERR_REPORT_OUT_DIR', names: /--out .*a-file\/statement\.csv/ },
  { name: 'sim on a taken port', argv: () => ['sim', 'stripe', '--port', String(takenPort)], code: 'PAYCHAOS_ERR_LISTEN_IN_USE', names: /port \d+ is already in use/ },
];

describe('bad input on every command: exit 2, a code, the field named, no stack trace', () => {
  it.each(CASES)('$name', async (c) => {
    const io = fakeIo();
    const saved = Object.fromEntries(Object.keys(c.env ?? {}).map((k) => [k, process.env[k]]));
    Object.assign(process.env, c.env);
    let exit: number;
    try {
      exit = await runCli(c.argv(), io);
    } finally {
      for (const [k, v] of Object.entries(saved)) if (v === undefined) delete process.env[k]; else process.env[k] = v;
    }
    expect({ exit, err: io.err() }).toMatchObject({ exit: 2 });
    expect(io.err()).toContain(c.code);
    expect(io.err()).toMatch(c.names);
    expect(io.err()).not.toMatch(/\n\s+at .+:\d+:\d+/);
    // Refused up front: no verdict, summary or "listening" line before the error.
    expect(io.out()).not.toMatch(/verdict|listening|serving on|API on|simulator on/i);
  });

  it('the control: judge with a writable --out (its directory created) judges and writes the report', async () => {
    await writeFile(path('canary.json'), JSON.stringify(resultsOf({ canary: { requests: 100, errorCodes: {}, medianMs: 30, seed: 2 } }, 'run-canary')));
    const io = fakeIo();
    const exit = await runCli(['judge', '--baseline', path('good.json'), '--canary', path('canary.json'), '--out', path('out/report.json')], io);
    expect(io.err()).toBe('');
    expect([0, 1, 4]).toContain(exit);
    expect(JSON.parse(await readFile(path('out/report.json'), 'utf8'))).toHaveProperty('verdict');
  });
});
