import type { BenchFixtures, ClientCredentials, MintedCode } from './fixtures';
import type { LoadRequest } from './load';
import type { RunningServer } from './server-process';

/** The loads the bench knows. */
export type ScenarioId = 'get' | 'token' | 'introspect' | 'code';

export const SCENARIO_TITLES: Record<ScenarioId, string> = {
  get: 'Bearer-protected GET, one scope check',
  token: 'client_credentials issuance',
  introspect: 'Introspection of a valid token (RFC 7662)',
  code: 'Authorization-code exchange (PKCE) then refresh rotation',
};

/** The requests of one load, and a way to tell afterwards whether its inputs ran out. */
export interface PreparedLoad {
  requests: LoadRequest[];
  /** Set when the load needed more pre-minted inputs than it had. */
  exhausted(): boolean;
}

const FORM = 'application/x-www-form-urlencoded';

function basic(client: ClientCredentials | undefined): string {
  // RFC 6749 §2.3.1: form-urlencode id and secret before base64.
  const c = client ?? { id: 'bare', secret: 'bare' };
  return `Basic ${Buffer.from(`${encodeURIComponent(c.id)}:${encodeURIComponent(c.secret)}`).toString('base64')}`;
}

function form(values: Record<string, string>): string {
  return new URLSearchParams(values).toString();
}

function tokensOf(f: BenchFixtures): string[] {
  return f.bearerTokens?.length ? f.bearerTokens : ['not-checked-by-this-server'];
}

/** Builds the autocannon requests of a scenario against one server. */
export async function prepareLoad(
  scenario: ScenarioId,
  server: RunningServer,
  plan: { seconds: number; pairsPerSecond: number },
): Promise<PreparedLoad> {
  const f = server.ready.fixtures;
  const never = () => false;
  switch (scenario) {
    case 'get':
      return {
        exhausted: never,
        requests: tokensOf(f).map((t) => ({ method: 'GET', path: f.getPath, headers: { authorization: `Bearer ${t}` } })),
      };
    case 'token':
      return {
        exhausted: never,
        requests: [
          {
            method: 'POST',
            path: f.tokenPath,
            headers: { authorization: basic(f.ccClient), 'content-type': FORM },
            body: form({ grant_type: 'client_credentials', scope: 'profile' }),
          },
        ],
      };
    case 'introspect':
      return {
        exhausted: never,
        requests: tokensOf(f).map((t) => ({
          method: 'POST',
          path: f.introspectPath!,
          headers: { authorization: basic(f.introspectClient), 'content-type': FORM },
          body: form({ token: t, token_type_hint: 'access_token' }),
        })),
      };
    case 'code':
      return codeLoad(server, Math.ceil(plan.pairsPerSecond * plan.seconds * 1.4) + 500);
  }
}

async function codeLoad(server: RunningServer, count: number): Promise<PreparedLoad> {
  const f = server.ready.fixtures;
  const client = f.codeClient!;
  const pool = await mintCodes(server, count);
  let exhausted = false;
  const headers = { authorization: basic(client), 'content-type': FORM };
  return {
    exhausted: () => exhausted,
    requests: [
      {
        method: 'POST',
        path: f.tokenPath,
        headers,
        setupRequest: (request: any) => {
          const next = pool.pop();
          if (!next) exhausted = true;
          const { code, verifier } = next ?? { code: 'pool-exhausted', verifier: 'pool-exhausted' };
          return {
            ...request,
            body: form({ grant_type: 'authorization_code', code, redirect_uri: client.redirectUri, code_verifier: verifier }),
          };
        },
        onResponse: (status: number, body: string, context: any) => {
          context.refresh = status === 200 ? JSON.parse(body).refresh_token : undefined;
        },
      },
      {
        method: 'POST',
        path: f.tokenPath,
        headers,
        setupRequest: (request: any, context: any) => ({
          ...request,
          body: form({ grant_type: 'refresh_token', refresh_token: context.refresh ?? 'missing' }),
        }),
      },
    ] as LoadRequest[],
  };
}

/** Asks the server to mint `count` codes through its own store API, in chunks. */
export async function mintCodes(server: RunningServer, count: number): Promise<MintedCode[]> {
  const path = server.ready.fixtures.mintCodesPath;
  if (!path) throw new Error('this server cannot mint authorization codes');
  const codes: MintedCode[] = [];
  for (let left = count; left > 0; left -= 5000) {
    const response = await fetch(server.baseUrl + path, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ count: Math.min(left, 5000) }),
    });
    if (!response.ok) throw new Error(`minting codes failed: ${response.status} ${await response.text()}`);
    codes.push(...((await response.json()) as MintedCode[]));
  }
  return codes;
}
