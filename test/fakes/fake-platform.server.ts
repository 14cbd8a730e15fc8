import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request as the fake server received it. */
export interface RecordedRequest {
  method: string;
  /** Path without the query string. */
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  /** Raw body text ('' when none). */
  body: string;
  /** Parsed JSON or form body, when it was one. */
  json: unknown;
  receivedAt: Date;
}

export interface FakeResponse {
  status?: number;
  headers?: Record<string, string>;
  /** Sent as JSON unless `raw` is given. */
  body?: unknown;
  /** Sent as-is, e.g. a malformed JSON document. */
  raw?: string;
}

export type FakeHandler = (request: RecordedRequest, params: Record<string, string>) => FakeResponse | Promise<FakeResponse>;

/**
 * Something that goes wrong on the next matching request, as a platform does: a rate limit, an
 * outage, a malformed body, or an answer that takes too long.
 */
export type FakeFault =
  | { kind: 'status'; status: number; headers?: Record<string, string>; body?: unknown }
  | { kind: 'malformed' }
  | { kind: 'slow'; delayMs: number }
  | { kind: 'hang' };

interface Route {
  method: string;
  pattern: RegExp;
  names: string[];
  handler: FakeHandler;
}

/**
 * A small programmable HTTP server that speaks one platform's API for tests and benchmarks.
 * Each platform fake registers its routes on it; tests queue faults and read what was received.
 */
export class FakePlatformServer {
  readonly requests: RecordedRequest[] = [];
  private readonly routes: Route[] = [];
  private readonly faults: Array<{ pathPrefix: string | null; fault: FakeFault }> = [];
  private readonly windows: Array<{ pathPrefix: string; until: Date; skip: number; answer: FakeResponse }> = [];
  private readonly hanging = new Set<ServerResponse>();
  private server: Server | null = null;
  private port = 0;

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Routes use `:name` segments, e.g. `/2/users/:id/mentions`. */
  route(method: string, path: string, handler: FakeHandler): this {
    const names: string[] = [];
    const source = path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/:(\w+)/g, (_match, name: string) => {
      names.push(name);
      return '([^/]+)';
    });
    this.routes.push({ method: method.toUpperCase(), pattern: new RegExp(`^${source}$`), names, handler });
    return this;
  }

  /** The next `times` requests whose path starts with `pathPrefix` (any path when null) get `fault`. */
  failNext(fault: FakeFault, times = 1, pathPrefix: string | null = null): this {
    for (let index = 0; index < times; index += 1) this.faults.push({ pathPrefix, fault });
    return this;
  }

  /**
   * From the request after the next `afterRequests` matching ones, every request under
   * `pathPrefix` gets `answer` until `until`: how a platform behaves once a rate-limit window is
   * used up (every request is refused until the reset).
   */
  refuseUntil(options: { pathPrefix: string; until: Date; afterRequests?: number; answer: FakeResponse }): this {
    this.windows.push({ pathPrefix: options.pathPrefix, until: options.until, skip: options.afterRequests ?? 0, answer: options.answer });
    return this;
  }

  requestsTo(pathPrefix: string, method?: string): RecordedRequest[] {
    return this.requests.filter((request) => request.path.startsWith(pathPrefix) && (method === undefined || request.method === method.toUpperCase()));
  }

  async start(): Promise<this> {
    this.server = createServer((request, response) => {
      void this.handle(request, response);
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  async stop(): Promise<void> {
    for (const response of this.hanging) response.destroy();
    this.hanging.clear();
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    this.server = null;
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const recorded = await record(request);
    this.requests.push(recorded);
    try {
      for (const window of this.windows) {
        if (!recorded.path.startsWith(window.pathPrefix)) continue;
        if (window.skip > 0) {
          window.skip -= 1;
          continue;
        }
        if (recorded.receivedAt < window.until) return send(response, window.answer);
      }
      const faultIndex = this.faults.findIndex((entry) => entry.pathPrefix === null || recorded.path.startsWith(entry.pathPrefix));
      if (faultIndex >= 0) {
        const [{ fault }] = this.faults.splice(faultIndex, 1);
        switch (fault.kind) {
          case 'status':
            return send(response, { status: fault.status, headers: fault.headers, body: fault.body ?? { error: `fault ${fault.status}` } });
          case 'malformed':
            return send(response, { status: 200, raw: '{"data": [ {"id": "1", "text": ' });
          case 'hang':
            this.hanging.add(response);
            response.on('close', () => this.hanging.delete(response));
            return;
          case 'slow':
            await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
            break;
        }
      }
      for (const route of this.routes) {
        if (route.method !== recorded.method) continue;
        const match = route.pattern.exec(recorded.path);
        if (!match) continue;
        const params = Object.fromEntries(route.names.map((name, index) => [name, decodeURIComponent(match[index + 1])]));
        return send(response, await route.handler(recorded, params));
      }
      send(response, { status: 404, body: { error: `no fake route for ${recorded.method} ${recorded.path}` } });
    } catch (error) {
      send(response, { status: 500, body: { error: `fake server error: ${(error as Error).message}` } });
    }
  }
}

async function record(request: IncomingMessage): Promise<RecordedRequest> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const body = Buffer.concat(chunks).toString('utf8');
  const url = new URL(request.url ?? '/', 'http://fake.invalid');
  let json: unknown = undefined;
  const type = request.headers['content-type'] ?? '';
  if (body.length > 0 && type.includes('json')) {
    try {
      json = JSON.parse(body);
    } catch {
      json = undefined;
    }
  } else if (body.length > 0 && type.includes('x-www-form-urlencoded')) {
    json = Object.fromEntries(new URLSearchParams(body));
  }
  return {
    method: (request.method ?? 'GET').toUpperCase(),
    path: url.pathname,
    query: url.searchParams,
    headers: request.headers,
    body,
    json,
    receivedAt: new Date(),
  };
}

function send(response: ServerResponse, answer: FakeResponse): void {
  if (response.destroyed) return;
  const text = answer.raw ?? JSON.stringify(answer.body ?? {});
  response.writeHead(answer.status ?? 200, { 'content-type': 'application/json; charset=utf-8', ...answer.headers });
  response.end(text);
}
