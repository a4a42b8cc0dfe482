/**
 * The bench's webhook receiver, in its own process so it does not share the sender's event loop.
 * Answers 204 to every POST and notes when each arrived against the `storedAtMs` in its payload.
 * GET /stats answers the count and the latency percentiles; POST /reset forgets them.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

let latencies: number[] = [];
let count = 0;

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

const server = http.createServer({ keepAliveTimeout: 60_000 }, (req, res) => {
  if (req.method === 'GET' && req.url === '/stats') {
    const sorted = [...latencies].sort((a, b) => a - b);
    res.setHeader('content-type', 'application/json');
    res.end(
      JSON.stringify({
        count,
        p50: percentile(sorted, 50),
        p95: percentile(sorted, 95),
        max: sorted.at(-1) ?? 0,
      }),
    );
    return;
  }
  if (req.method === 'POST' && req.url === '/reset') {
    latencies = [];
    count = 0;
    res.writeHead(204).end();
    return;
  }
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    count += 1;
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
      data: { storedAtMs?: number };
    };
    if (typeof body.data.storedAtMs === 'number') latencies.push(Date.now() - body.data.storedAtMs);
    res.writeHead(204).end();
  });
});
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`listening ${(server.address() as AddressInfo).port}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
