import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import type { BenchFixtures, ClientCredentials } from './fixtures';
import { mintCodes, type ScenarioId } from './scenarios';
import type { RunningServer } from './server-process';

/** Access tokens the token proof issues, so a change in the token table's row count is unambiguous. */
const PROOF_ISSUANCES = 5;

/**
 * Before a server is loaded, proves with real requests that the scenario succeeds: every bearer token
 * of the pool is accepted, and every token the scenario issues opens the protected GET. A server that
 * answers an error fast must never look fast. JWT access tokens are verified against the server's
 * JWKS as RFC 9068 §4 says (typ at+jwt, ES256, iss, aud); where the server can count its token rows,
 * issuing opaque tokens must add one row each and issuing JWTs none. Resolves that row count, or
 * undefined when the server has no such count.
 */
export async function proveScenario(scenario: ScenarioId, server: RunningServer, guarded: boolean): Promise<number | undefined> {
  const f = server.ready.fixtures;
  const get = async (token: string, what: string) => {
    const response = await fetch(server.baseUrl + f.getPath, { headers: { authorization: `Bearer ${token}` } });
    await expect2xx(response, `GET ${f.getPath} with ${what}`);
  };
  const post = async (path: string, client: ClientCredentials | undefined, body: Record<string, string>, what: string) => {
    const response = await fetch(server.baseUrl + path, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        ...(client
          ? {
              authorization: `Basic ${Buffer.from(`${encodeURIComponent(client.id)}:${encodeURIComponent(client.secret)}`).toString('base64')}`,
            }
          : {}),
      },
      body: new URLSearchParams(body).toString(),
    });
    return (await expect2xx(response, what)) as Record<string, any>;
  };

  switch (scenario) {
    case 'get':
      // A bare route checks nothing, or (the verify floor) only the signature of the JWTs it handed out.
      if (!guarded) return void (await get(f.bearerTokens?.[0] ?? 'unused', 'no token or its own JWT (bare route)'));
      for (const token of f.bearerTokens ?? []) await get(token, 'a seeded token');
      if (!f.bearerTokens?.length) throw new Error('a guarded server must hand out bearer tokens');
      if (f.accessTokenFormat === 'jwt') for (const token of f.bearerTokens) await verifyJwt(server, token);
      // The guard must really guard: an unknown token is refused.
      {
        const response = await fetch(server.baseUrl + f.getPath, { headers: { authorization: 'Bearer unknown-token-value' } });
        if (response.status !== 401) throw new Error(`GET with an unknown token answered ${response.status}, expected 401`);
      }
      return undefined;
    case 'token': {
      const before = await tokenRows(server);
      for (let i = 0; i < PROOF_ISSUANCES; i++) {
        const issued = await post(f.tokenPath, f.ccClient, { grant_type: 'client_credentials', scope: 'profile' }, 'client_credentials');
        if (typeof issued.access_token !== 'string') throw new Error('client_credentials answered without access_token');
        if (f.accessTokenFormat === 'jwt') await verifyJwt(server, issued.access_token);
        if (guarded) await get(issued.access_token, 'the client_credentials token');
      }
      const after = await tokenRows(server);
      if (before !== undefined && after !== undefined) {
        const expected = f.accessTokenFormat === 'jwt' ? 0 : PROOF_ISSUANCES;
        if (after - before !== expected)
          throw new Error(
            `${PROOF_ISSUANCES} issuances added ${after - before} token rows, expected ${expected} (${f.accessTokenFormat ?? 'opaque'})`,
          );
      }
      return after;
    }
    case 'introspect':
      for (const token of f.bearerTokens ?? []) {
        const answer = await post(f.introspectPath!, f.introspectClient, { token }, 'introspection');
        if (answer.active !== true) throw new Error(`introspection said ${JSON.stringify(answer)} for a valid token`);
      }
      return undefined;
    case 'code': {
      const [minted] = await mintCodes(server, 1);
      const client = f.codeClient!;
      const first = await post(
        f.tokenPath,
        client,
        { grant_type: 'authorization_code', code: minted.code, redirect_uri: client.redirectUri, code_verifier: minted.verifier },
        'authorization_code',
      );
      await get(first.access_token, 'the code-exchange token');
      const second = await post(f.tokenPath, client, { grant_type: 'refresh_token', refresh_token: first.refresh_token }, 'refresh_token');
      await get(second.access_token, 'the refreshed token');
      if (!second.refresh_token || second.refresh_token === first.refresh_token)
        throw new Error('refresh did not rotate the refresh token');
      return undefined;
    }
  }
}

/** The server's count of token rows, when it has one. */
export async function tokenRows(server: RunningServer): Promise<number | undefined> {
  const path = server.ready.fixtures.tokenRowsPath;
  if (!path) return undefined;
  const response = await fetch(server.baseUrl + path);
  return ((await expect2xx(response, `GET ${path}`)) as { rows: number }).rows;
}

/** RFC 9068 §4 checks of one JWT access token, with `jose` against the server's published JWKS. */
async function verifyJwt(server: RunningServer, token: string): Promise<void> {
  const { jwt } = server.ready.fixtures as BenchFixtures;
  if (!jwt) throw new Error('a server issuing JWT access tokens must say where its JWKS is');
  const header = decodeProtectedHeader(token);
  if (header.alg !== 'ES256' || header.typ !== 'at+jwt')
    throw new Error(`the JWT header is ${JSON.stringify(header)}, expected ES256 and at+jwt`);
  const url = new URL(jwt.jwks, server.baseUrl);
  const jwks = (await expect2xx(await fetch(url), `GET ${url}`)) as { keys: any[] };
  const { payload } = await jwtVerify(token, createLocalJWKSet(jwks), {
    issuer: jwt.issuer,
    audience: jwt.audience,
    typ: 'at+jwt',
    algorithms: ['ES256'],
  });
  if (payload.scope !== 'profile' || typeof payload.client_id !== 'string')
    throw new Error(`the JWT claims are ${JSON.stringify(payload)}`);
}

async function expect2xx(response: Response, what: string): Promise<unknown> {
  const text = await response.text();
  if (response.status < 200 || response.status > 299) {
    throw new Error(`${what} answered ${response.status}: ${text.slice(0, 300)}`);
  }
  return text ? JSON.parse(text) : undefined;
}
