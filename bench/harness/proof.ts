import type { ClientCredentials } from './fixtures';
import { mintCodes, type ScenarioId } from './scenarios';
import type { RunningServer } from './server-process';

/**
 * Before a server is loaded, proves with real requests that the scenario succeeds: every bearer token
 * of the pool is accepted, and every token the scenario issues opens the protected GET. A server that
 * answers an error fast must never look fast.
 */
export async function proveScenario(scenario: ScenarioId, server: RunningServer, guarded: boolean): Promise<void> {
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
      if (!guarded) return void (await get('unused', 'no token (bare route)'));
      for (const token of f.bearerTokens ?? []) await get(token, 'a seeded token');
      if (!f.bearerTokens?.length) throw new Error('a guarded server must hand out bearer tokens');
      // The guard must really guard: an unknown token is refused.
      {
        const response = await fetch(server.baseUrl + f.getPath, { headers: { authorization: 'Bearer unknown-token-value' } });
        if (response.status !== 401) throw new Error(`GET with an unknown token answered ${response.status}, expected 401`);
      }
      return;
    case 'token': {
      const issued = await post(f.tokenPath, f.ccClient, { grant_type: 'client_credentials', scope: 'profile' }, 'client_credentials');
      if (typeof issued.access_token !== 'string') throw new Error('client_credentials answered without access_token');
      if (guarded) await get(issued.access_token, 'the client_credentials token');
      return;
    }
    case 'introspect':
      for (const token of f.bearerTokens ?? []) {
        const answer = await post(f.introspectPath!, f.introspectClient, { token }, 'introspection');
        if (answer.active !== true) throw new Error(`introspection said ${JSON.stringify(answer)} for a valid token`);
      }
      return;
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
      return;
    }
  }
}

async function expect2xx(response: Response, what: string): Promise<unknown> {
  const text = await response.text();
  if (response.status < 200 || response.status > 299) {
    throw new Error(`${what} answered ${response.status}: ${text.slice(0, 300)}`);
  }
  return text ? JSON.parse(text) : undefined;
}
