import { createServer, connect, type Server, type Socket } from 'node:net';

/**
 * A TCP proxy between an app and its database that the test controls, so a test can take the
 * database away from one app without disturbing anything else that uses the server:
 * - `cut()` destroys every open connection and stops listening (new connections are refused);
 * - `restore()` listens again on the same port;
 * - `cutOnStatement(text)` lets traffic through until a client sends a statement containing `text`,
 *   then cuts before forwarding it — the database sees the connection drop mid-transaction.
 */
export class TcpProxy {
  private server: Server;
  private readonly sockets = new Set<Socket>();
  private trigger?: { text: Buffer; fired: () => void };
  /** Connections accepted and cuts made, for the report. */
  readonly stats = { connections: 0, cuts: 0 };

  private constructor(
    private readonly target: { host: string; port: number },
    public port: number,
  ) {
    this.server = this.newServer();
  }

  /** A proxy to `target` on a free loopback port. */
  static async start(target: { host: string; port: number }): Promise<TcpProxy> {
    const proxy = new TcpProxy(target, 0);
    await proxy.listen();
    return proxy;
  }

  /** `url` with its host and port replaced by the proxy's. */
  route(url: string): string {
    const routed = new URL(url);
    routed.hostname = '127.0.0.1';
    routed.port = String(this.port);
    return routed.toString();
  }

  /** Proxied sockets (both sides of each connection) not yet closed. */
  get openSockets(): number {
    return this.sockets.size;
  }

  /** Drop every connection and refuse new ones. */
  async cut(): Promise<void> {
    this.stats.cuts++;
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      for (const socket of this.sockets) socket.destroy();
    });
  }

  /** Accept connections again, on the same port. */
  async restore(): Promise<void> {
    this.server = this.newServer();
    await this.listen();
  }

  /** Resolves once a client sent a statement containing `text` and every connection was cut before it reached the database. */
  cutOnStatement(text: string): Promise<void> {
    return new Promise((fired) => (this.trigger = { text: Buffer.from(text), fired }));
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => (this.server.listening ? this.server.close(() => resolve()) : resolve()));
  }

  private newServer(): Server {
    return createServer((client) => {
      this.stats.connections++;
      const upstream = connect(this.target.port, this.target.host);
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.on('close', () => this.sockets.delete(socket));
        socket.on('error', () => undefined); // a cut resets sockets: expected here
      }
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
      upstream.pipe(client);
      client.on('data', (chunk: Buffer) => {
        const trigger = this.trigger;
        if (trigger && chunk.includes(trigger.text)) {
          this.trigger = undefined;
          this.stats.cuts++;
          for (const socket of this.sockets) socket.destroy();
          trigger.fired();
          return;
        }
        upstream.write(chunk);
      });
    });
  }

  private listen(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.port, '127.0.0.1', () => {
        this.port = (this.server.address() as { port: number }).port;
        resolve();
      });
    });
  }
}
