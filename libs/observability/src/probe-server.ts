/**
 * A process without an HTTP api of its own (the worker) answers its orchestrator here: `/health`
 * (the process runs), `/ready` (every readiness check is up; else 503 with Retry-After and what is
 * down) and `/metrics` (Prometheus). node:http, nothing else: it must answer while the rest struggles.
 */
import { createServer, type Server } from 'node:http';
import type { Logger } from 'pino';
import type { Metrics } from './metrics';
import { checkReadiness, type ReadinessCheck } from './readiness';

export interface ProbeServer {
  readonly port: number;
  close(): Promise<void>;
}

export async function startProbeServer(options: { host: string; port: number; checks: Record<string, ReadinessCheck>; metrics?: Metrics; logger: Logger }): Promise<ProbeServer> {
  const server: Server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    const send = (status: number, type: string, body: string, headers: Record<string, string> = {}): void => {
      response.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', ...headers });
      response.end(body);
    };
    if (request.method !== 'GET') return send(405, 'application/problem+json', JSON.stringify({ title: 'Method not allowed', status: 405 }));
    if (path === '/health') return send(200, 'application/json', JSON.stringify({ status: 'ok' }));
    if (path === '/ready') {
      void checkReadiness(options.checks).then((report) => {
        if (report.status !== 'ok') options.logger.warn({ down: report.error }, 'not ready');
        send(report.status === 'ok' ? 200 : 503, 'application/json', JSON.stringify(report), report.status === 'ok' ? {} : { 'retry-after': '5' });
      });
      return;
    }
    if (path === '/metrics' && options.metrics) {
      const metrics = options.metrics;
      void metrics.scrape().then(
        (text) => send(200, metrics.contentType, text),
        (error: Error) => send(500, 'text/plain', `metrics unavailable: ${error.message}`),
      );
      return;
    }
    send(404, 'application/problem+json', JSON.stringify({ title: 'Not found', status: 404 }));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const address = server.address();
  return {
    port: typeof address === 'object' && address !== null ? address.port : options.port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
