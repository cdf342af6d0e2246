/**
 * What a bench server tells the harness once it listens: its port and the credentials, tokens and
 * routes it set up through its own API. The harness builds every request from this, so no server
 * needs to know which scenario runs.
 */
export interface BenchFixtures {
  /** Bearer-protected (or, on the bare servers, unprotected) fixed JSON GET. */
  getPath: string;
  /** Token endpoint (on the bare servers: a POST that parses the form and returns fixed JSON). */
  tokenPath: string;
  /** Introspection endpoint (RFC 7662), when the server has one. */
  introspectPath?: string;
  /** A confidential client allowed `client_credentials` with scope `profile`. */
  ccClient?: ClientCredentials;
  /** A client allowed to call the introspection endpoint. */
  introspectClient?: ClientCredentials;
  /** A confidential client allowed `authorization_code` + `refresh_token`, and its redirect URI. */
  codeClient?: ClientCredentials & { redirectUri: string };
  /** Valid access tokens carrying scope `profile`, issued through the server's own API. */
  bearerTokens?: string[];
  /** POST `{ count }` here to mint authorization codes (PKCE S256) through the server's own store API. */
  mintCodesPath?: string;
  /** Where the server keeps its rows, so the growth scenario can bulk-seed them. */
  database?: { kind: 'sqlite' | 'postgres'; location: string };
  /** POST `{ batchSize }` here to purge expired tokens in batches through `TokenStore.purgeExpired`. */
  purgePath?: string;
  /** The format of the access tokens the token endpoint issues (and of `bearerTokens`); opaque when absent. */
  accessTokenFormat?: 'opaque' | 'jwt';
  /** For JWT access tokens: the issuer, the audience and the JWKS (a path on the server, or a URL) to verify them against (RFC 9068 §4). */
  jwt?: { issuer: string; audience: string; jwks: string };
  /** GET here answers `{ rows }`: the number of rows in the token table, to prove what issuance writes. */
  tokenRowsPath?: string;
  /** Anything the server wants printed beside its results (package versions, settings). */
  notes?: string;
}

export interface ClientCredentials {
  id: string;
  secret: string;
}

/** One pre-minted authorization code and the PKCE verifier that goes with it. */
export interface MintedCode {
  code: string;
  verifier: string;
}

/** The line a server prints on stdout when it is ready: `BENCH_READY {"port":…,"fixtures":{…}}`. */
export const READY_MARKER = 'BENCH_READY ';

export interface ReadyMessage {
  port: number;
  fixtures: BenchFixtures;
}
