import { fetchJson, type FetchFunction } from './http-json';

/** The metadata members this resource server reads. */
export type DiscoveredEndpoint = 'introspection_endpoint' | 'jwks_uri';

/**
 * Finds a remote authorization server's introspection endpoint and JWKS from its metadata (RFC 8414).
 * - The document is at `/.well-known/oauth-authorization-server` inserted between the issuer's host
 *   and path (§3.1): `https://as.example/tenant` → `https://as.example/.well-known/oauth-authorization-server/tenant`.
 * - Its `issuer` must equal the configured issuer exactly (§3.3), or the document is refused: a
 *   server could otherwise pass itself off as another.
 * - Looked up on first need, not at start-up, so the resource server starts while the
 *   authorization server is down; a failed lookup is not remembered and the next request retries.
 *   A document lacking a member in `requires` is a failed lookup too: the server may be mid-deploy.
 */
export class AuthorizationServerDiscovery {
  private pending?: Promise<Record<string, unknown>>;

  constructor(
    private readonly settings: {
      issuer: string;
      fetch: FetchFunction;
      timeoutMs: number;
      /** The members without which the document is of no use. Default: `introspection_endpoint`. */
      requires?: readonly DiscoveredEndpoint[];
    },
  ) {}

  /** The URL of the authorization server's metadata document (RFC 8414 §3.1). */
  get metadataUrl(): string {
    return authorizationServerMetadataUrl(this.settings.issuer);
  }

  /** The `introspection_endpoint` (RFC 8414 §2, RFC 7662 §4); rejects with the reason when it cannot be found. */
  async introspectionEndpoint(): Promise<string> {
    const endpoint = endpointOf(await this.metadata(), 'introspection_endpoint');
    if (!endpoint) throw new DiscoveryError(`${this.metadataUrl} has no introspection_endpoint`);
    return endpoint;
  }

  /** The `jwks_uri` (RFC 8414 §2), or undefined when the authorization server publishes no keys. */
  async jwksUri(): Promise<string | undefined> {
    return endpointOf(await this.metadata(), 'jwks_uri');
  }

  private metadata(): Promise<Record<string, unknown>> {
    if (!this.pending) {
      this.pending = this.discover();
      this.pending.catch(() => (this.pending = undefined));
    }
    return this.pending;
  }

  private async discover(): Promise<Record<string, unknown>> {
    const { status, body } = await fetchJson(
      this.settings.fetch,
      this.metadataUrl,
      { method: 'GET', headers: { Accept: 'application/json' } },
      this.settings.timeoutMs,
    );
    if (status !== 200 || typeof body !== 'object' || body === null) {
      throw new DiscoveryError(`${this.metadataUrl} answered ${status} without a metadata document`);
    }
    const metadata = body as Record<string, unknown>;
    if (metadata.issuer !== this.settings.issuer) {
      throw new DiscoveryError(
        `${this.metadataUrl} names the issuer ${JSON.stringify(metadata.issuer)}, not ${JSON.stringify(this.settings.issuer)} (RFC 8414 section 3.3)`,
      );
    }
    for (const name of this.settings.requires ?? ['introspection_endpoint']) {
      if (!endpointOf(metadata, name)) throw new DiscoveryError(`${this.metadataUrl} has no ${name}`);
    }
    return metadata;
  }
}

/** The authorization server's metadata says something this resource server cannot use. */
export class DiscoveryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DiscoveryError';
  }
}

function endpointOf(metadata: Record<string, unknown>, name: DiscoveredEndpoint): string | undefined {
  const value = metadata[name];
  return typeof value === 'string' && URL.canParse(value) ? value : undefined;
}

/** `/.well-known/oauth-authorization-server` inserted between the issuer's host and path (RFC 8414 §3.1). */
export function authorizationServerMetadataUrl(issuer: string): string {
  const url = new URL(issuer);
  const path = url.pathname.replace(/\/+$/, '');
  return `${url.origin}/.well-known/oauth-authorization-server${path}`;
}
