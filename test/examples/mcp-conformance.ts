// The snippet of docs/reference/mcp-conformance.md, compiled with the rest of the project (strict)
// and checked against the page by test/docs-snippets.e2e-spec.ts.
import { Controller, HttpCode, Post, UseGuards } from '@nestjs/common';
import { BearerGuard, OAuthAuthorization, OAuthModule, Resource, Scopes, type ResourceAuthorization } from 'nest-oauth2-provider';

// #region mcp-server
export const oauth = OAuthModule.forRoot({
  issuer: 'https://mcp.example',
  scopes: { 'mcp:tools': 'Use the tools', offline_access: 'Stay connected' },
  resources: { 'https://mcp.example/mcp': { scopes: ['mcp:tools'], name: 'MCP server' } },
  defaultResource: 'https://mcp.example/mcp', // for clients that send no `resource`
  clientIdMetadataDocuments: { enabled: true }, // URL client ids (see its guide for the SSRF settings)
  registration: { enabled: true, initialAccessToken: 'none' }, // RFC 7591, if you want it
  requireHttps: true, // the default in production
});

@Controller('mcp')
@UseGuards(BearerGuard)
@Resource('https://mcp.example/mcp')
export class McpController {
  @Post()
  @HttpCode(200)
  @Scopes('mcp:tools') // named in the 401 challenge as scope="mcp:tools"
  handle(@OAuthAuthorization() auth: ResourceAuthorization) {
    return { jsonrpc: '2.0', id: 1, result: { user: auth.userId } };
  }
}
// #endregion mcp-server
