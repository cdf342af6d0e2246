import { Agent, request, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';

/** A request sent byte for byte: the path and body are not re-encoded, so bad percent-encoding and invalid UTF-8 arrive as written. */
export interface RawRequest {
  method: string;
  /** Path and query as sent; characters U+0080–U+00FF go out as single bytes (latin1), e.g. a lone 0xC3. */
  path: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

/** The response with its raw header lines (name and value exactly as received). */
export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  /** Alternating names and values, as Node's `rawHeaders`. */
  rawHeaders: string[];
  text: string;
}

/** A client for one listening Nest server, with a keep-alive agent so hundreds of requests stay fast. */
export class RawHttpClient {
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 8 });

  private constructor(private readonly port: number) {}

  /** Starts `server` on an ephemeral loopback port (if it is not listening yet) and returns a client for it. */
  static async listen(server: Server): Promise<RawHttpClient> {
    if (!server.listening) await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return new RawHttpClient((server.address() as AddressInfo).port);
  }

  /**
   * Sends `req`. A keep-alive socket the server closed after its last answer can be handed out
   * before its close is seen (Fastify's answer to a request it cannot parse, a 400 or 431, has no
   * `Connection: close`); a request that fails on such a reused socket was never read, so it is sent
   * again on another socket, as Node's documentation advises for keep-alive agents.
   */
  async send(req: RawRequest): Promise<RawResponse> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.sendOnce(req);
      } catch (error) {
        if (!(error instanceof StaleSocketError) || attempt >= MAX_STALE_RETRIES)
          throw error instanceof StaleSocketError ? error.cause : error;
      }
    }
  }

  private sendOnce(req: RawRequest): Promise<RawResponse> {
    const body = req.body === undefined ? undefined : Buffer.isBuffer(req.body) ? req.body : Buffer.from(req.body, 'utf8');
    const headers: Record<string, string> = { ...req.headers };
    if (body !== undefined) headers['content-length'] = String(body.length);
    return new Promise((resolve, reject) => {
      const outgoing = request(
        {
          host: '127.0.0.1',
          port: this.port,
          method: req.method,
          path: Buffer.from(req.path, 'latin1').toString('latin1'),
          headers,
          agent: this.agent,
        },
        (res) => {
          const chunks: Buffer[] = [];
          const answer = (): RawResponse => ({
            status: res.statusCode ?? 0,
            headers: res.headers,
            rawHeaders: res.rawHeaders,
            text: Buffer.concat(chunks).toString('utf8'),
          });
          received = answer;
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => resolve(answer()));
          res.on('error', reject);
        },
      );
      let received: (() => RawResponse) | undefined;
      // The server may answer (413, 431) and close before it has read a large body: that is an answer, not a failure.
      outgoing.on('error', (error: NodeJS.ErrnoException) => {
        // Fastify's answer to a request Node's parser refused (400, 431) is written raw, with its JSON
        // body even after HEAD, and the connection closed: the bytes after the head are no response.
        const status = received?.().status;
        if (req.method === 'HEAD' && (status === 400 || status === 431) && error.code?.startsWith('HPE_')) return resolve(received!());
        // Node 24's client also reports the reset when the server answered with `Connection: close`
        // and closed before reading the rest of the request (431 over a 1 MB request line); Node 20
        // and 22 end the response instead. The answer had arrived: it is the result.
        const closed = received?.().headers.connection === 'close';
        if (closed && (error.code === 'ECONNRESET' || error.code === 'EPIPE')) return resolve(received!());
        const stale = outgoing.reusedSocket && (error.code === 'ECONNRESET' || error.code === 'EPIPE');
        reject(stale ? new StaleSocketError(error) : error);
      });
      outgoing.end(body);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

/** Every socket of the pool may be stale at once. */
const MAX_STALE_RETRIES = 8;

/** A request that failed on a reused keep-alive socket the server had already closed. */
class StaleSocketError extends Error {
  constructor(override readonly cause: Error) {
    super(cause.message);
  }
}
