import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { UnauthorizedError, type OAuthClientProvider } from '@modelcontextprotocol/sdk/client/auth.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { OAuthClientInformationMixed, OAuthTokens } from '@modelcontextprotocol/sdk/shared/auth.js';

/**
 * `npm run agent`: a command-line MCP agent built only on the official SDK, for trying SHIFT's MCP
 * server. It registers itself at SHIFT (RFC 7591), prints the authorization URL for you to open, takes
 * the code at a loopback redirect (RFC 8252 §7.3), then lists SHIFT's tools and calls get_profile.
 * Everything it holds stays in memory.
 */
async function main(): Promise<void> {
  const mcpUrl = new URL(process.argv[2] ?? 'http://localhost:3000/mcp');
  let deliver: (code: string) => void = () => undefined;
  const callback = createServer((req, res) => {
    const code = new URL(req.url ?? '/', 'http://127.0.0.1').searchParams.get('code');
    res.writeHead(code ? 200 : 400, { 'Content-Type': 'text/plain; charset=utf-8' });
    res.end(code ? 'Signed in. You can close this window.' : 'No code: the authorization was not granted.');
    if (code) deliver(code);
  });
  await new Promise<void>((resolve) => callback.listen(0, '127.0.0.1', resolve));
  const redirectUrl = `http://127.0.0.1:${(callback.address() as AddressInfo).port}/callback`;

  let client: OAuthClientInformationMixed | undefined;
  let tokens: OAuthTokens | undefined;
  let verifier = '';
  const provider: OAuthClientProvider = {
    redirectUrl,
    clientMetadata: { client_name: 'SHIFT sample agent', redirect_uris: [redirectUrl], token_endpoint_auth_method: 'none' },
    clientInformation: () => client,
    saveClientInformation: (saved) => void (client = saved),
    tokens: () => tokens,
    saveTokens: (saved) => void (tokens = saved),
    saveCodeVerifier: (saved) => void (verifier = saved),
    codeVerifier: () => verifier,
    redirectToAuthorization: (url) => void process.stdout.write(`Open this URL in your browser and sign in to SHIFT:\n\n  ${url.href}\n\n`),
  };

  const agent = new Client({ name: 'shift-sample-agent', version: '1.0.0' });
  const connect = () => agent.connect(new StreamableHTTPClientTransport(mcpUrl, { authProvider: provider }));
  try {
    await connect();
  } catch (error) {
    if (!(error instanceof UnauthorizedError)) throw error;
    const code = await new Promise<string>((resolve) => (deliver = resolve));
    await new StreamableHTTPClientTransport(mcpUrl, { authProvider: provider }).finishAuth(code);
    await connect();
  }
  const { tools } = await agent.listTools();
  process.stdout.write(`Tools: ${tools.map((tool) => tool.name).join(', ')}\n`);
  const profile = await agent.callTool({ name: 'get_profile', arguments: {} });
  process.stdout.write(`get_profile: ${JSON.stringify(profile.structuredContent)}\n`);
  await agent.close();
  callback.close();
}

main().catch((err: unknown) => {
  console.error(`The agent stopped: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
