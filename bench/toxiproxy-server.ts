/**
 * The embedded Toxiproxy-compatible server in its own process, as toxiproxy-server would be,
 * with two proxies to the upstream given as argv[2]: "bench" (no toxics: the plain-pipe path)
 * and "chain" (a noop toxic each way: every chunk through the toxic machinery).
 * Prints {"api":URL,"listen":"host:port","chain":"host:port"}.
 */
import { startToxiproxyServer } from '../src/toxiproxy/index.js';

const upstream = process.argv[2];
if (!upstream) throw new Error('usage: toxiproxy-server.js <upstream host:port>');
const server = await startToxiproxyServer({
  proxies: [
    { name: 'bench', listen: '127.0.0.1:0', upstream, enabled: true },
    { name: 'chain', listen: '127.0.0.1:0', upstream, enabled: true },
  ],
});
for (const stream of ['upstream', 'downstream']) {
  await fetch(`${server.url}/proxies/chain/toxics`, { method: 'POST', body: JSON.stringify({ type: 'noop', stream }) });
}
const listen = async (name: string): Promise<string> => ((await (await fetch(`${server.url}/proxies/${name}`)).json()) as { listen: string }).listen;
process.stdout.write(`${JSON.stringify({ api: server.url, listen: await listen('bench'), chain: await listen('chain') })}\n`);
process.on('SIGTERM', () => void server.close().then(() => process.exit(0)));
