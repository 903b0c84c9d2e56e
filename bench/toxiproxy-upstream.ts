/**
 * The trivial upstream of the proxy benchmark: a keep-alive HTTP server answering "ok" to every
 * request. Runs in its own process; prints {"port":N} on stdout when listening.
 */
import { createServer } from 'node:http';

const body = Buffer.from('ok');
const server = createServer({ keepAliveTimeout: 60_000 }, (_req, res) => {
  res.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Length': body.length });
  res.end(body);
});
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ port: (server.address() as { port: number }).port })}\n`);
});
process.on('SIGTERM', () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
});
