import type { HostLookup } from './document-fetcher';

/**
 * What a trust policy may say about a client id URL: true admits it with the server's settings,
 * false refuses it, an object admits it with its own scopes and resources. @publicApi
 */
export type ClientIdUrlDecision = boolean | ClientIdUrlGrant;

/** The scopes and resources a trust policy gives the clients of some URLs. @publicApi */
export interface ClientIdUrlGrant {
  /** The scopes such a client may ask for (among the configured ones). Default: the settings' `scopes`. */
  scopes?: readonly string[];
  /** The resources (RFC 8707) it may get tokens for; null = every one. Default: the settings' `resources`. */
  resources?: readonly string[] | null;
  /** The resource its requests get when they name none. Default: the settings' `defaultResource`. */
  defaultResource?: string | null;
}

/** Client ID Metadata Documents after defaults (see `OAuthClientIdMetadataDocumentsOptions`). @publicApi */
export interface ClientIdMetadataSettings {
  /** Decides which client id URLs are accepted at all; the address rules apply whatever it says. */
  allowClientIdUrl: (url: URL) => ClientIdUrlDecision | Promise<ClientIdUrlDecision>;
  /** CIDR ranges the address rules admit although they are private or reserved. */
  allowedAddresses: readonly string[];
  /** Bounds, in seconds, of how long a fetched document is used. */
  minCacheTtl: number;
  maxCacheTtl: number;
  /** Milliseconds for a fetch; largest document in bytes. */
  timeout: number;
  maxBytes: number;
  /** The scopes a URL client may ask for; undefined = every configured scope. */
  scopes: readonly string[] | undefined;
  /** The resources a URL client may get tokens for; null = every configured resource. */
  resources: readonly string[] | null;
  /** The resource a URL client's requests get when they name none; null = the server's `defaultResource`. */
  defaultResource: string | null;
  /** Resolves host names; default `dns.lookup`. */
  lookup?: HostLookup;
  /** Trusted CA certificates (PEM) instead of the system's. */
  ca?: string | readonly string[];
}
