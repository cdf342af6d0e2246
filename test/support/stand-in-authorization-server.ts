import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createNetServer, type AddressInfo } from 'node:net';

/**
 * A remote authorization server the test controls, on its own ephemeral port: RFC 8414 metadata at
 * the path-inserted URL of its issuer, and an RFC 7662 introspection endpoint that answers what the
 * test put in `answers` (inactive otherwise) to the one client it knows, counting every call.
 */
export class StandInAuthorizationServer {
  /** Introspection answers by token. */
  readonly answers = new Map<string, Record<string, unknown>>();
  metadataCalls = 0;
  introspectionCalls = 0;
  /** The body (form fields) and Authorization header of the last introspection request. */
  lastIntrospection?: { fields: Record<string, string>; authorization: string | undefined };
  /** Answer every request with this status instead (e.g. 503). */
  failWith?: number;
  /** The `issuer` the metadata claims; default the real one. */
  claimedIssuer?: string;
  issuer = '';
  private server?: Server;

  constructor(
    private readonly client: { id: string; secret: string },
    private readonly issuerPath = '',
  ) {}

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.issuer = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}${this.issuerPath}`;
    return this;
  }

  async stop(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
    this.server = undefined;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await read(req);
    if (this.failWith) return send(res, this.failWith, { error: 'server_error' });
    if (req.method === 'GET' && req.url === `/.well-known/oauth-authorization-server${this.issuerPath}`) {
      this.metadataCalls++;
      return send(res, 200, {
        issuer: this.claimedIssuer ?? this.issuer,
        token_endpoint: `${this.issuer}/token`,
        introspection_endpoint: `${this.issuer}/introspect`,
      });
    }
    if (req.method === 'POST' && req.url === `${this.issuerPath}/introspect`) {
      this.introspectionCalls++;
      const fields = Object.fromEntries(new URLSearchParams(body));
      this.lastIntrospection = { fields, authorization: req.headers.authorization };
      const expected = `Basic ${Buffer.from(`${this.client.id}:${this.client.secret}`).toString('base64')}`;
      if (req.headers.authorization !== expected) return send(res, 401, { error: 'invalid_client' });
      return send(res, 200, this.answers.get(fields.token) ?? { active: false });
    }
    send(res, 404, { error: 'not_found' });
  }
}

/** A port free right now, for an app whose identifier must name its port before it listens. */
export async function freePort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function read(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
}
