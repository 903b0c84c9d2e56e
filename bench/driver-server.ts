/**
 * The trivial server of the driver benchmark: answers `POST /payments` the way the reference
 * gateway does (201 succeeded, 402 for a decline test card) without doing any work, so the
 * figure measures the load generators, not a payment stack. Own process; prints {"port":N}.
 */
import { createServer } from 'node:http';

const ok = Buffer.from(JSON.stringify({ paymentId: 'pay_1', orderId: 'o', status: 'succeeded', provider: 'stripe', variant: 'baseline' }));
const declined = Buffer.from(JSON.stringify({ paymentId: 'pay_1', orderId: 'o', status: 'failed', provider: 'stripe', variant: 'baseline', errorCode: 'card_declined', providerCode: 'generic_decline' }));
const server = createServer({ keepAliveTimeout: 60_000 }, (req, res) => {
  let body = '';
  req.on('data', (c: Buffer) => (body += c.toString()));
  req.on('end', () => {
    const decline = body.includes('Declined');
    const out = decline ? declined : ok;
    res.writeHead(decline ? 402 : 201, { 'Content-Type': 'application/json', 'Content-Length': out.length });
    res.end(out);
  });
});
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ port: (server.address() as { port: number }).port })}\n`);
});
process.on('SIGTERM', () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
});
