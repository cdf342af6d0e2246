import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The host name documents are served under in tests; a stubbed resolver points it at 127.0.0.1. */
export const DOCUMENT_HOST = 'client.test';

/** A certificate authority made for one test run, and a server certificate it signed. */
export interface TestTls {
  /** The CA certificate (PEM), to trust. */
  ca: string;
  key: string;
  cert: string;
}

/**
 * A CA and a certificate for `client.test`, `localhost` and 127.0.0.1 signed by it, made with the
 * `openssl` command line (Node can verify X.509 but not issue it); nothing is written outside a
 * temporary directory removed at once.
 */
export function makeTestTls(): TestTls {
  const dir = mkdtempSync(join(tmpdir(), 'cimd-tls-'));
  const path = (name: string) => join(dir, name);
  const run = (...args: string[]) => execFileSync('openssl', args, { stdio: 'pipe' });
  try {
    run(
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-days',
      '2',
      '-subj',
      '/CN=Test CA',
      '-keyout',
      path('ca.key'),
      '-out',
      path('ca.pem'),
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign',
    );
    run(
      'req',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-subj',
      `/CN=${DOCUMENT_HOST}`,
      '-keyout',
      path('server.key'),
      '-out',
      path('server.csr'),
    );
    writeFileSync(path('ext.cnf'), `subjectAltName=DNS:${DOCUMENT_HOST},DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\n`);
    run(
      'x509',
      '-req',
      '-in',
      path('server.csr'),
      '-CA',
      path('ca.pem'),
      '-CAkey',
      path('ca.key'),
      '-CAcreateserial',
      '-days',
      '2',
      '-extfile',
      path('ext.cnf'),
      '-out',
      path('server.pem'),
    );
    return {
      ca: readFileSync(path('ca.pem'), 'utf8'),
      key: readFileSync(path('server.key'), 'utf8'),
      cert: readFileSync(path('server.pem'), 'utf8'),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** What the document server answers for one path. */
export type DocumentHandler = (req: IncomingMessage, res: ServerResponse) => void;

/** An HTTPS server on 127.0.0.1 serving documents by path, counting requests per path. */
export interface DocumentServer {
  port: number;
  /** `https://client.test:{port}{path}`. */
  url(path: string): string;
  /** Serve `handler` at `path` (replacing the one before). */
  route(path: string, handler: DocumentHandler): void;
  /** Requests received per path. */
  hits: Map<string, number>;
  /** TLS connections accepted so far (a refused fetch must not add one). */
  connections: number;
  close(): Promise<void>;
}

/** Starts a `DocumentServer` with `tls`. */
export async function startDocumentServer(tls: TestTls): Promise<DocumentServer> {
  const routes = new Map<string, DocumentHandler>();
  const hits = new Map<string, number>();
  const state = { connections: 0 };
  const server: Server = createServer({ key: tls.key, cert: tls.cert }, (req, res) => {
    const path = new URL(req.url ?? '/', 'https://x').pathname;
    hits.set(path, (hits.get(path) ?? 0) + 1);
    const handler = routes.get(path);
    if (handler) handler(req, res);
    else res.writeHead(404).end();
  });
  server.on('secureConnection', () => state.connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    url: (path) => `https://${DOCUMENT_HOST}:${port}${path}`,
    route: (path, handler) => routes.set(path, handler),
    hits,
    get connections() {
      return state.connections;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A handler answering `body` as JSON with `headers`. */
export function json(body: unknown, headers: Record<string, string> = {}): DocumentHandler {
  return (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
  };
}
