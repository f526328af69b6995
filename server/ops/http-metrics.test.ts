import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { Counter, Histogram } from './metrics-registry';
import { handlerLabel, methodLabel, timeHttpRequests } from './http-metrics';
import type { OpsMetrics } from './ops-metrics';

const freshMetrics = (): OpsMetrics => ({
  batchWrites: new Counter('t_batch_writes_total', 'x'),
  batchWriteSeconds: new Histogram('t_batch_write_seconds', 'x', [1]),
  httpSeconds: new Histogram('t_http_seconds', 'x', [0.5, 5]),
});

describe('handlerLabel', () => {
  it.each([
    ['/', 200, '/'],
    ['/flows?q=--verdict+DROPPED', 200, '/flows'],
    ['/api/flows?format=jsonpb', 200, '/api/flows'],
    ['/api/flows/extra/segments', 200, '/api/flows'],
    ['/_next/static/chunks/abc.js', 200, '/_next'],
    ['/metrics', 200, '/metrics'],
    ['/readyz', 503, '/readyz'],
    ['/no-such-page', 404, 'unmatched'],
    ['/anything-a-stranger-tries', 401, 'refused'],
    ['/api/flows', 403, 'refused'],
    ['/api/%00%ff', 400, 'other'],
    ['/Weird_Case', 200, 'other'],
    [undefined, 200, '/'],
  ])('%s answered %i is %s', (url, code, label) => {
    expect(handlerLabel(url, code)).toBe(label);
  });

  it('keeps the label set small whatever the URLs', () => {
    const labels = new Set<string>();
    for (let i = 0; i < 1000; i++) for (const code of [401, 403, 404]) labels.add(handlerLabel(`/x${i}/y`, code));
    expect(labels).toEqual(new Set(['unmatched', 'refused']));
  });

  it('maps unknown methods to other', () => {
    expect([methodLabel('get'), methodLabel('PROPFIND'), methodLabel(undefined)]).toEqual(['GET', 'other', 'other']);
  });
});

describe('timeHttpRequests', () => {
  let server: Server | undefined;
  afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

  async function serve(metrics: OpsMetrics): Promise<string> {
    server = createServer(timeHttpRequests((req, res) => {
      if (req.url === '/api/live') {
        // As Next sends a Response: headers set one by one, then the body.
        res.setHeader('content-type', 'text/event-stream; charset=utf-8');
        res.end('data: {}\n\n');
      } else if (req.url === '/api/slow') {
        setTimeout(() => res.end('late'), 600);
      } else {
        res.statusCode = req.url === '/api/flows' ? 200 : 404;
        res.end('x');
      }
    }, metrics));
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(server!.address() as AddressInfo).port}`;
  }

  it('observes each finished response by method, handler and code, but not event streams', async () => {
    const metrics = freshMetrics();
    const base = await serve(metrics);
    for (const path of ['/api/flows', '/api/flows', '/nope', '/api/live', '/api/slow']) await (await fetch(base + path)).text();
    const counts = Object.fromEntries(metrics.httpSeconds.samples()
      .filter((s) => s.suffix === '_count')
      .map((s) => [`${s.labels!.method} ${s.labels!.handler} ${s.labels!.code}`, s.value]));
    expect(counts).toEqual({ 'GET /api/flows 200': 2, 'GET unmatched 404': 1, 'GET /api/slow 200': 1 });
    const slowBelowHalfSecond = metrics.httpSeconds.samples()
      .find((s) => s.suffix === '_bucket' && s.labels!.handler === '/api/slow' && s.labels!.le === '0.5');
    expect(slowBelowHalfSecond?.value).toBe(0);
  });
});
